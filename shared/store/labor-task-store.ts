import type { LaborTask } from '../actions/schema.js';
import type { PageKey } from './order-store.js';

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
