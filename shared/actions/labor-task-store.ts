import type { PageKey } from '../orders/order-store.js';
import type { LaborTask } from './schema.js';

export interface LaborTaskStore {
  /** Stores the task unless its (order, entry, action) already has one; answers whichever is stored. */
  createOnce(tenantId: string, task: LaborTask): Promise<LaborTask>;
  /** Newest stage entry first. */
  listOfOrder(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ laborTasks: LaborTask[]; lastKey?: PageKey }>;
}
