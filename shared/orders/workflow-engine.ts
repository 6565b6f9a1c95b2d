import type { ExecutionState } from '../workflow/task-payloads.js';

/** One order's execution to start. */
export interface ExecutionStart {
  tenantId: string;
  orderId: string;
  workflowVersion: number;
  /** Version 0 only: the built-in default's revision. */
  workflowRevision?: number;
  /** Where the version runs (a state machine version ARN on AWS); unset for the built-in default. */
  executionTarget?: string;
  /** 0 for the order's first execution; later ones (resume, migrate, retry) count up. */
  attempt: number;
  state: ExecutionState;
}

export type SignalOutcome = 'delivered' | 'expired';

/** One execution of an order, as far as the order's record knows it. */
export interface ExecutionRef {
  tenantId: string;
  orderId: string;
  attempt: number;
  executionTarget?: string;
  /** Version 0 only: the built-in default's revision (which machine the execution runs on). */
  workflowRevision?: number;
  /** The ARN recorded on the order when the execution started, when it is this attempt's. */
  executionArn?: string;
}

/**
 * What drives orders through their stages: Step Functions on AWS, the local ASL interpreter
 * on one machine. Both run the same compiled definition.
 */
export interface WorkflowEngine {
  /** Makes a compiled workflow version runnable; returns where its executions start. */
  deploy(tenantId: string, workflowVersion: number, asl: string): Promise<{ executionTarget?: string }>;
  /**
   * Starts the order's execution and answers its ARN; starting the same (order, attempt) twice
   * starts nothing and answers the same ARN.
   */
  start(execution: ExecutionStart): Promise<{ executionArn: string }>;
  /** Stops an execution another one replaces (a migration); one already over is left alone. */
  stop(execution: ExecutionRef): Promise<void>;
  /** Whether the execution is still running (not failed, timed out, stopped or unknown). */
  isLive(execution: ExecutionRef): Promise<boolean>;
  /**
   * Completes a waiting task with the order's next state. `expired`: no wait holds the token
   * any more (it timed out, its execution ended, or it was already completed); the caller
   * learns from the execution whether the order needs a new one.
   */
  signal(token: string, output: ExecutionState): Promise<SignalOutcome>;
}

/** The name of an order's execution: its id, plus the attempt after the first. */
export function executionName(orderId: string, attempt: number): string {
  return attempt === 0 ? orderId : `${orderId}-${attempt}`;
}
