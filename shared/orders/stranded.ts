import { ConflictError, STORE_UNAVAILABLE_ERROR } from '../errors.js';
import type { Workflow } from '../workflow/schema.js';
import type { OrderStore } from './order-store.js';
import { executionState, stageOf } from './transitions.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { type WorkflowSource, workflowRefOf } from './workflow-source.js';

/**
 * Why an execution may end while its order still has a stage to finish, when nothing is wrong
 * with the order: its store stayed unavailable past the retries, the task function kept
 * failing or timing out, or the execution outlived Step Functions' one year. Other failures
 * (an unknown stage, a bug) would fail again; they stay failed and raise the alarm.
 */
export const RESUMABLE_FAILURES: readonly string[] = [
  STORE_UNAVAILABLE_ERROR,
  'States.Timeout',
  'States.TaskFailed',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

export type ResumeOutcome = 'resumed' | 'live' | 'final' | 'halted' | 'gone' | 'changed';

export interface StrandedOrderDeps {
  store: OrderStore;
  workflows: WorkflowSource<Workflow>;
  engine: WorkflowEngine;
}

/**
 * Gives an order whose execution is over, but which is in a stage that is not final, a new
 * execution: the compiled machine finds the stage through Reload and Route, and the stage
 * entry's actions that already ran are skipped. An order stopped on a failed action
 * (`halted`) waits for a retry instead, and one with a live execution is left alone. The new
 * attempt is written first, conditionally, so two sweeps resume an order once.
 */
export async function resumeIfStranded(
  deps: StrandedOrderDeps,
  tenantId: string,
  orderId: string,
): Promise<ResumeOutcome> {
  const record = await deps.store.get(tenantId, orderId);
  if (!record) return 'gone';
  const { order } = record;
  const { version, revision } = workflowRefOf(order);
  const pinned = await deps.workflows.version(tenantId, version, revision);
  if (!pinned || stageOf(pinned.workflow, order.stage).final) return 'final';
  if (record.halted) return 'halted';
  // Where the execution runs: the version's own target, or the built-in default's revision.
  const target = {
    ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
    ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
  };
  const live = await deps.engine.isLive({
    tenantId,
    orderId,
    attempt: record.attempt,
    ...target,
    ...(record.executionArn ? { executionArn: record.executionArn } : {}),
  });
  if (live) return 'live';
  const attempt = record.attempt + 1;
  try {
    await deps.store.update(tenantId, record, { order, events: [], attempt });
  } catch (error) {
    if (error instanceof ConflictError) return 'changed';
    throw error;
  }
  await deps.engine.start({
    tenantId,
    orderId,
    workflowVersion: version,
    ...target,
    attempt,
    state: executionState(tenantId, order, record.entry),
  });
  return 'resumed';
}
