import type { PageKey } from '../orders/order-store.js';
import type { PurchaseOrder } from './schema.js';

/** Raises a purchase order in an order's transaction; refused (so nothing commits) if its key exists. */
export interface PurchaseOrderRaise {
  type: 'purchaseOrder.raise';
  purchaseOrder: PurchaseOrder;
}

export interface PurchaseOrderStore {
  /**
   * Stores the purchase order unless its (order, entry, action, supplier) already has one;
   * answers whichever is stored, so a re-run returns the first run's purchase order.
   */
  createOnce(tenantId: string, purchaseOrder: PurchaseOrder): Promise<PurchaseOrder>;
  /** Marks it cancelled; true when this call did (false: it already was). */
  cancel(tenantId: string, purchaseOrder: PurchaseOrder, at: string): Promise<boolean>;
  /** Every purchase order of the order, newest stage entry first. */
  allOfOrder(tenantId: string, orderId: string): Promise<PurchaseOrder[]>;
  /** Newest stage entry first. */
  listOfOrder(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ purchaseOrders: PurchaseOrder[]; lastKey?: PageKey }>;
}
