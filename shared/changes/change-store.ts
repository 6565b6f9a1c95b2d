import type { PageKey } from '../orders/order-store.js';
import type { ChangeStatus, ProposedChange } from './schema.js';

/** Stores a change in its order's transaction: new, or replacing one still in `expectedStatus`. */
export interface ChangeRecordWrite {
  type: 'change.put';
  change: ProposedChange;
  /** The status the stored change must still have; absent: it must not exist yet. */
  expectedStatus?: ChangeStatus;
}

/** Reads changes; they are written only with their order (a `change.put` companion write). */
export interface ChangeStore {
  get(tenantId: string, orderId: string, changeId: string): Promise<ProposedChange | undefined>;
  /** Newest first. */
  listOfOrder(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ changes: ProposedChange[]; lastKey?: PageKey }>;
}
