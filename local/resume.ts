import type { DynamoOrderStore } from '../shared/adapters/dynamodb/order-store.js';
import { startOwedExecution } from '../shared/orders/owed-start.js';
import { executionState, stageOf } from '../shared/orders/transitions.js';
import type { WorkflowEngine } from '../shared/orders/workflow-engine.js';
import { workflowRefOf } from '../shared/orders/workflow-source.js';
import type { WorkflowService } from '../shared/workflow/service.js';

/**
 * Gives every order that is not in a final stage an execution again after a start: the
 * compiled machine finds its current stage (through Reload and Route), and actions already
 * done for the stage entry are skipped; starts owed when the previous process stopped are made
 * with them. Signals owed to executions of the previous process
 * are void (their tokens are unknown now): the new execution starts from the stored stage.
 */
export async function resumeOrders(
  orders: DynamoOrderStore,
  workflows: WorkflowService,
  engine: WorkflowEngine,
): Promise<number> {
  let resumed = 0;
  for await (const { tenantId, record } of orders.scanAll()) {
    const { order } = record;
    const { version, revision } = workflowRefOf(order);
    const pinned = await workflows.version(tenantId, version, revision);
    if (stageOf(pinned.workflow, order.stage).final) continue;
    await startOwedExecution(orders, engine, {
      tenantId,
      orderId: order.id,
      workflowVersion: order.workflow.version,
      ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
      ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
      attempt: record.attempt,
      state: executionState(tenantId, order, record.entry),
    });
    resumed++;
  }
  return resumed;
}

/**
 * Runs `resume` for each order handed to `schedule`, after `delayMs`; an order scheduled again
 * before its turn runs once. A failure is left for the next failed execution to schedule.
 */
export function resumeLater(
  delayMs: number,
  resume: (order: { tenantId: string; orderId: string }) => Promise<void>,
): { schedule(order: { tenantId: string; orderId: string }): void; cancel(): void } {
  const timers = new Map<string, NodeJS.Timeout>();
  return {
    schedule(order) {
      const key = `${order.tenantId}/${order.orderId}`;
      if (timers.has(key)) return;
      const timer = setTimeout(() => {
        timers.delete(key);
        resume(order).catch(() => undefined);
      }, delayMs);
      timer.unref();
      timers.set(key, timer);
    },
    cancel() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
