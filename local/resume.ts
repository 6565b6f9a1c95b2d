import { executionState, stageOf } from '../shared/orders/transitions.js';
import type { WorkflowEngine } from '../shared/orders/workflow-engine.js';
import type { DynamoOrderStore } from '../shared/store/dynamodb/order-store.js';
import type { WorkflowService } from '../shared/workflow/service.js';

/**
 * Gives every order that is not in a final stage an execution again after a start: the
 * compiled machine's router resumes it at its current stage, and actions already done for
 * the stage entry are skipped. Signals owed to executions of the previous process are void:
 * the new execution starts from the order's stored stage.
 */
export async function resumeOrders(
  orders: DynamoOrderStore,
  workflows: WorkflowService,
  engine: WorkflowEngine,
): Promise<number> {
  let resumed = 0;
  for await (const { tenantId, record } of orders.scanAll()) {
    const { order } = record;
    const pinned = await workflows.version(tenantId, order.workflow.version);
    if (stageOf(pinned.workflow, order.stage).final) continue;
    if (record.pendingSignal) await orders.clearSignal(tenantId, order.id, record.pendingSignal.token);
    await engine.start({
      tenantId,
      orderId: order.id,
      workflowVersion: order.workflow.version,
      ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
      attempt: record.attempt,
      state: executionState(tenantId, order, record.entry),
    });
    resumed++;
  }
  return resumed;
}
