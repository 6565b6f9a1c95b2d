import type { PurchaseOrder } from '../actions/schema.js';
import type { OrderChange, OrderRecord, PageKey } from '../orders/order-store.js';
import type { ReservationAdjustment } from './preview.js';
import type { ChangeStatus, ProposedChange } from './schema.js';

/** What a change's proposal or decision writes beside the order, in the order's transaction. */
export interface ChangeWrites {
  change: ProposedChange;
  /** The status the stored change must still have; absent: it must not exist yet. */
  expectedStatus?: ChangeStatus;
  /** Reservations resized as applying plans them, each only if it still holds what was read. */
  reservations?: { adjustments: ReservationAdjustment[]; reservedAt: string };
  /** Raised for a new shortfall; each is written once (its key names the change). */
  purchaseOrders?: PurchaseOrder[];
}

export interface ChangeStore {
  get(tenantId: string, orderId: string, changeId: string): Promise<ProposedChange | undefined>;
  /** Newest first. */
  listOfOrder(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ changes: ProposedChange[]; lastKey?: PageKey }>;
  /**
   * Commits the order change (as OrderStore.update would) and the change's writes in one
   * transaction; if any condition fails nothing is written and it throws ConflictError.
   */
  commit(
    tenantId: string,
    current: OrderRecord,
    orderChange: OrderChange,
    writes: ChangeWrites,
  ): Promise<void>;
}
