import { Logger } from '@aws-lambda-powertools/logger';
import {
  RESUMABLE_FAILURES,
  type ResumeOutcome,
  resumeIfStranded,
  type StrandedOrderDeps,
  sweepOwedStarts,
} from '../../shared/orders/stranded.js';
import type { ExecutionState } from '../../shared/workflow/task-payloads.js';

export const logger = new Logger({ serviceName: 'orderflow-stranded-orders' });

/** The part of EventBridge's "Step Functions Execution Status Change" event this function reads. */
export interface ExecutionStatusChange {
  'detail-type': 'Step Functions Execution Status Change';
  detail: {
    executionArn: string;
    status: string;
    /** The execution's input: the order's execution state (compile.ts). */
    input?: string | null;
    error?: string | null;
  };
}

/** EventBridge's scheduled event: time for the sweep over owed starts. */
export interface ScheduledSweep {
  'detail-type': 'Scheduled Event';
  time: string;
}

export type StrandedOrdersEvent = ExecutionStatusChange | ScheduledSweep;

export type StrandedOrdersResult =
  | { outcome: ResumeOutcome | 'not-resumable' }
  | { owed: number; started: number; failed: number };

/**
 * The stranded-orders function. EventBridge hands it every order execution that failed or
 * timed out; an order whose execution ended for a passing reason gets a new one. A failure
 * of its own (the store is still down) is retried by EventBridge and then dead-lettered.
 * A schedule also hands it the sweep over starts owed but never made (stranded.ts): an order
 * whose execution never started has no execution to end.
 */
export function createStrandedOrdersHandler(deps: StrandedOrderDeps, clock: () => Date = () => new Date()) {
  return async (event: StrandedOrdersEvent): Promise<StrandedOrdersResult> => {
    if (event['detail-type'] === 'Scheduled Event') {
      const swept = await sweepOwedStarts(deps, clock());
      if (swept.owed > 0) logger.info('Swept owed order executions', { ...swept });
      // Failing the invocation raises the function's error alarm; the next sweep tries again.
      if (swept.failed > 0)
        throw new Error(`${swept.failed} of ${swept.owed} owed executions did not start.`);
      return swept;
    }
    return resumeEnded(deps, event);
  };
}

async function resumeEnded(
  deps: StrandedOrderDeps,
  event: ExecutionStatusChange,
): Promise<{ outcome: ResumeOutcome | 'not-resumable' }> {
  const { status, error, input, executionArn } = event.detail;
  const errorName = status === 'TIMED_OUT' ? 'States.Timeout' : (error ?? '');
  if (!RESUMABLE_FAILURES.includes(errorName)) {
    logger.warn('An order execution failed for a reason a new execution would not fix', {
      executionArn,
      errorName,
    });
    return { outcome: 'not-resumable' };
  }
  if (!input) throw new Error(`The status change of ${executionArn} carries no input.`);
  const { tenantId, orderId } = JSON.parse(input) as ExecutionState;
  const outcome = await resumeIfStranded(deps, tenantId, orderId);
  logger.info('Checked an order whose execution ended', {
    tenantId,
    orderId,
    executionArn,
    errorName,
    outcome,
  });
  return { outcome };
}
