import { newOrder } from '../../shared/orders/order.js';
import type { OrderStore } from '../../shared/orders/order-store.js';
import { CreateOrderRequest, type Order } from '../../shared/orders/schema.js';
import type { WorkflowSource } from '../../shared/orders/workflow-source.js';
import type { Workflow } from '../../shared/workflow/schema.js';
import { sampleOrder } from './stack.js';

/**
 * The sample order stored on the tenant's active workflow as a create writes it, and nothing
 * after: what a process that died between the write and StartExecution leaves behind.
 */
export async function storeUnstartedOrder(
  store: OrderStore,
  workflows: WorkflowSource<Workflow>,
  tenantId: string,
): Promise<Order> {
  const pinned = await workflows.active(tenantId);
  const order = newOrder({
    request: CreateOrderRequest.parse(sampleOrder),
    stage: pinned.workflow.initialStage,
    workflowVersion: pinned.version,
    ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
    now: new Date(),
  });
  await store.create(tenantId, order, []);
  return order;
}
