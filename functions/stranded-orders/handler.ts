import { Logger } from '@aws-lambda-powertools/logger';
import {
  RESUMABLE_FAILURES,
  type ResumeOutcome,
  resumeIfStranded,
  type StrandedOrderDeps,
} from '../../shared/orders/stranded.js';
import type { ExecutionState } from '../../shared/workflow/task-payloads.js';

export const logger = new Logger({ serviceName: 'orderflow-stranded-orders' });

/** The part of EventBridge's "Step Functions Execution Status Change" event this function reads. */
export interface ExecutionStatusChange {
  detail: {
    executionArn: string;
    status: string;
    /** The execution's input: the order's execution state (compile.ts). */
    input?: string | null;
    error?: string | null;
  };
}

/**
 * The stranded-orders function: EventBridge hands it every order execution that failed or
 * timed out; an order whose execution ended for a passing reason gets a new one. A failure
 * of its own (the store is still down) is retried by EventBridge and then dead-lettered.
 */
export function createStrandedOrdersHandler(deps: StrandedOrderDeps) {
  return async (event: ExecutionStatusChange): Promise<{ outcome: ResumeOutcome | 'not-resumable' }> => {
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
  };
}
