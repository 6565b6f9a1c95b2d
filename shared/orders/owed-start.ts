import type { OrderStore } from './order-store.js';
import type { ExecutionStart, WorkflowEngine } from './workflow-engine.js';

/**
 * Starts an execution the order is owed and records the ARN Step Functions answered, which
 * also clears the owed start. A start already made answers the same ARN, so a start retried
 * after a crash or a failure in between records it once.
 */
export async function startOwedExecution(
  store: OrderStore,
  engine: WorkflowEngine,
  execution: ExecutionStart,
): Promise<{ executionArn: string; recorded: boolean }> {
  const { executionArn } = await engine.start(execution);
  const recorded = await store.recordStart(
    execution.tenantId,
    execution.orderId,
    execution.attempt,
    executionArn,
  );
  return { executionArn, recorded };
}
