import type { OrderRecord } from './order-store.js';
import type { WorkflowShape } from './workflow-source.js';

/**
 * Whether an order may still start an execution on the workflow version it runs: any order
 * may, until it rests in a final stage with its actions over and not stopped on a failure.
 * Retries, migrations and resumes of stranded orders all start executions on the version
 * the order is pinned to, so while this holds the version's state machine version must stay.
 */
export function holdsWorkflowVersion(
  record: Pick<OrderRecord, 'order' | 'halted'>,
  workflow: WorkflowShape,
): boolean {
  const { order, halted } = record;
  const final = workflow.stages.find((stage) => stage.id === order.stage)?.final === true;
  return !final || halted || order.actions.state === 'running';
}
