import type {
  ExecutionRef,
  ExecutionStart,
  SignalOutcome,
  WorkflowEngine,
} from '../../orders/workflow-engine.js';
import { executionName } from '../../orders/workflow-engine.js';
import type { ExecutionState } from '../../workflow/task-payloads.js';

/**
 * An engine that keeps what it was asked in memory and runs nothing: for unit tests of what
 * the domain asks of the engine (the local ASL engine runs the compiled definitions).
 * Starting an (order, attempt) twice is a no-op, as the port requires.
 */
export class MemoryWorkflowEngine implements WorkflowEngine {
  readonly deployed: { tenantId: string; workflowVersion: number; asl: string }[] = [];
  readonly started = new Map<string, ExecutionStart>();
  readonly stopped: ExecutionRef[] = [];
  readonly signals: { token: string; output: ExecutionState }[] = [];
  /** Makes the next signals fail, as an unreachable engine would. */
  failSignals = false;

  async deploy(
    tenantId: string,
    workflowVersion: number,
    asl: string,
  ): Promise<{ executionTarget?: string }> {
    this.deployed.push({ tenantId, workflowVersion, asl });
    return { executionTarget: `memory:${tenantId}:${workflowVersion}` };
  }

  /** Makes the next starts fail, as an unreachable engine would. */
  failStarts = false;

  async start(execution: ExecutionStart): Promise<{ executionArn: string }> {
    if (this.failStarts) throw new Error('The workflow engine is unreachable.');
    const name = `${execution.tenantId}/${executionName(execution.orderId, execution.attempt)}`;
    if (!this.started.has(name)) this.started.set(name, structuredClone(execution));
    return { executionArn: `memory:${name}` };
  }

  async stop(execution: ExecutionRef): Promise<void> {
    this.stopped.push(execution);
  }

  /** Started and not stopped: nothing runs here, so nothing ends by itself. */
  async isLive(execution: ExecutionRef): Promise<boolean> {
    const stopped = this.stopped.some(
      (candidate) =>
        candidate.tenantId === execution.tenantId &&
        candidate.orderId === execution.orderId &&
        candidate.attempt === execution.attempt,
    );
    return (
      this.started.has(`${execution.tenantId}/${executionName(execution.orderId, execution.attempt)}`) &&
      !stopped
    );
  }

  /** Tokens whose wait is over: signals to them are answered `expired`. */
  readonly expiredTokens = new Set<string>();

  async signal(token: string, output: ExecutionState): Promise<SignalOutcome> {
    if (this.failSignals) throw new Error('The workflow engine is unreachable.');
    if (this.expiredTokens.has(token)) return 'expired';
    this.signals.push({ token, output: structuredClone(output) });
    return 'delivered';
  }
}
