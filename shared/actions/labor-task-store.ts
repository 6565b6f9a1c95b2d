import type { PageKey } from '../orders/order-store.js';
import type { LaborTask } from './schema.js';

export interface LaborTaskStore {
  /** Stores the task unless its (order, entry, action) already has one; answers whichever is stored. */
  createOnce(tenantId: string, task: LaborTask): Promise<LaborTask>;
  /** Marks it cancelled; true when this call did (false: it already was). */
  cancel(tenantId: string, task: LaborTask, at: string): Promise<boolean>;
  /** Every task of the order, newest stage entry first. */
  allOfOrder(tenantId: string, orderId: string): Promise<LaborTask[]>;
  /** Newest stage entry first. */
  listOfOrder(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ laborTasks: LaborTask[]; lastKey?: PageKey }>;
}
