import { ConflictError, STORE_UNAVAILABLE_ERROR } from '../errors.js';
import type { Workflow } from '../workflow/schema.js';
import type { OrderRecord, OrderStore } from './order-store.js';
import { startOwedExecution } from './owed-start.js';
import { executionState, stageOf } from './transitions.js';
import type { ExecutionStart, WorkflowEngine } from './workflow-engine.js';
import { type PinnedWorkflow, type WorkflowSource, workflowRefOf } from './workflow-source.js';

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
  const target = targetOf(pinned);
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
  await startOwedExecution(deps.store, deps.engine, executionOf(tenantId, { ...record, attempt }, pinned));
  return 'resumed';
}

/** Where the version's executions run: its own target, or the built-in default's revision. */
function targetOf(
  pinned: PinnedWorkflow<Workflow>,
): Pick<ExecutionStart, 'executionTarget' | 'workflowRevision'> {
  return {
    ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
    ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
  };
}

/** The order's execution of its current attempt, at its current stage entry. */
function executionOf(
  tenantId: string,
  record: OrderRecord,
  pinned: PinnedWorkflow<Workflow>,
): ExecutionStart {
  return {
    tenantId,
    orderId: record.order.id,
    workflowVersion: pinned.version,
    ...targetOf(pinned),
    attempt: record.attempt,
    state: executionState(tenantId, record.order, record.entry),
  };
}

export type OwedStartOutcome = 'started' | 'not-owed' | 'gone';

/**
 * Makes the start an order is owed (see OrderRecord.startOwedSince): the change that owed it
 * committed, and then the process died or StartExecution failed. The execution of the order's
 * current attempt starts at its current stage entry (Reload → Route finds the stage); one that
 * did start after all is not started twice, its ARN is only recorded.
 */
export async function startIfOwed(
  deps: StrandedOrderDeps,
  tenantId: string,
  orderId: string,
): Promise<OwedStartOutcome> {
  const record = await deps.store.get(tenantId, orderId);
  if (!record) return 'gone';
  if (record.startOwedSince === undefined) return 'not-owed';
  const { version, revision } = workflowRefOf(record.order);
  const pinned = await deps.workflows.version(tenantId, version, revision);
  if (!pinned) throw new Error(`Workflow version ${version} of tenant ${tenantId} is missing.`);
  const { recorded } = await startOwedExecution(
    deps.store,
    deps.engine,
    executionOf(tenantId, record, pinned),
  );
  // Not recorded: a newer attempt took over in between, and owes (or made) its own start.
  return recorded ? 'started' : 'not-owed';
}

/** How long a start may be owed before the sweep makes it: the writer's own start is under way until then. */
export const OWED_START_GRACE_MS = 60_000;
/** Orders one sweep looks at; the next sweep takes the rest. */
export const OWED_START_SWEEP_LIMIT = 100;

/**
 * One sweep over the starts owed for longer than the grace, run on a schedule (the
 * stranded-orders function on AWS, a timer locally). An order whose start fails again stays
 * owed for the next sweep; the others are still made.
 */
export async function sweepOwedStarts(
  deps: StrandedOrderDeps,
  now: Date,
  graceMs = OWED_START_GRACE_MS,
): Promise<{ owed: number; started: number; failed: number }> {
  const owed = await deps.store.owedStarts(
    new Date(now.getTime() - graceMs).toISOString(),
    OWED_START_SWEEP_LIMIT,
  );
  let started = 0;
  let failed = 0;
  for (const { tenantId, orderId } of owed) {
    try {
      if ((await startIfOwed(deps, tenantId, orderId)) === 'started') started++;
    } catch {
      failed++;
    }
  }
  return { owed: owed.length, started, failed };
}
