import {
  ConflictException,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { ConflictError } from '../../errors.js';
import {
  type ExecutionRef,
  type ExecutionStart,
  executionName,
  type SignalOutcome,
  type WorkflowEngine,
} from '../../orders/workflow-engine.js';
import { LEGACY_DEFAULT_REVISION } from '../../workflow/default-workflow.js';
import type { ExecutionState } from '../../workflow/task-payloads.js';

export interface StepFunctionsEngineConfig {
  /** `arn:aws:states:<region>:<account>:stateMachine:` — tenant machines are named under it. */
  stateMachineArnPrefix: string;
  /** The stack's prefix for state machine names (its IAM policies cover exactly that prefix). */
  stateMachineNamePrefix: string;
  /** The role tenant state machines run with (only the table and the task function). */
  executionRoleArn: string;
  /** The built-in default workflow's state machine, deployed by the stack. */
  defaultStateMachineArn: string;
  /** The built-in default's first revision, for orders pinned to it until they are migrated. */
  legacyDefaultStateMachineArn: string;
}

/**
 * One Standard state machine per tenant; every published workflow version is one of its
 * versions. The `tenant-` part keeps tenant machines apart from the stack's own (`<prefix>default`).
 */
export function tenantStateMachineName(namePrefix: string, tenantId: string): string {
  return `${namePrefix}tenant-${tenantId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 80);
}

/** The workflow engine on AWS: Step Functions, driven through its API. */
export class StepFunctionsEngine implements WorkflowEngine {
  constructor(
    private readonly client: SFNClient,
    private readonly config: StepFunctionsEngineConfig,
  ) {}

  async deploy(
    tenantId: string,
    workflowVersion: number,
    asl: string,
  ): Promise<{ executionTarget?: string }> {
    try {
      return await this.publishVersion(tenantId, workflowVersion, asl);
    } catch (error) {
      // Another upload is updating the tenant's machine (ConflictException), or created it
      // first on the tenant's first upload (StateMachineAlreadyExists): the caller may retry.
      if (error instanceof ConflictException || error instanceof StateMachineAlreadyExists)
        throw new ConflictError(error.message);
      throw error;
    }
  }

  private async publishVersion(
    tenantId: string,
    workflowVersion: number,
    asl: string,
  ): Promise<{ executionTarget?: string }> {
    const name = tenantStateMachineName(this.config.stateMachineNamePrefix, tenantId);
    const versionDescription = `workflow version ${workflowVersion}`;
    try {
      const updated = await this.client.send(
        new UpdateStateMachineCommand({
          stateMachineArn: `${this.config.stateMachineArnPrefix}${name}`,
          definition: asl,
          publish: true,
          versionDescription,
        }),
      );
      return { executionTarget: updated.stateMachineVersionArn };
    } catch (error) {
      if (!(error instanceof StateMachineDoesNotExist)) throw error;
    }
    const created = await this.client.send(
      new CreateStateMachineCommand({
        name,
        definition: asl,
        roleArn: this.config.executionRoleArn,
        type: 'STANDARD',
        publish: true,
        versionDescription,
      }),
    );
    return { executionTarget: created.stateMachineVersionArn };
  }

  /** A published version's own target, else the built-in default's machine of the order's revision. */
  private machineOf(execution: Pick<ExecutionStart, 'executionTarget' | 'workflowRevision'>): string {
    if (execution.executionTarget) return execution.executionTarget;
    return execution.workflowRevision === LEGACY_DEFAULT_REVISION
      ? this.config.legacyDefaultStateMachineArn
      : this.config.defaultStateMachineArn;
  }

  async start(execution: ExecutionStart): Promise<{ executionArn: string }> {
    try {
      const started = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.machineOf(execution),
          name: executionName(execution.orderId, execution.attempt),
          input: JSON.stringify(execution.state),
        }),
      );
      if (!started.executionArn) throw new Error('StartExecution answered no executionArn.');
      return { executionArn: started.executionArn };
    } catch (error) {
      // The name is the order's and the attempt's: a second start of the same execution starts
      // nothing. Step Functions answers it with the running execution's ARN when the input is
      // the same, and with ExecutionAlreadyExists (no ARN) otherwise; then it is the one of
      // that name under the machine.
      if (error instanceof ExecutionAlreadyExists) return { executionArn: this.namedArnOf(execution) };
      throw error;
    }
  }

  async stop(execution: ExecutionRef): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({
          executionArn: this.executionArnOf(execution),
          cause: 'Replaced by a newer execution of the order.',
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  async isLive(execution: ExecutionRef): Promise<boolean> {
    try {
      const described = await this.client.send(
        new DescribeExecutionCommand({ executionArn: this.executionArnOf(execution) }),
      );
      return described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE';
    } catch (error) {
      // Never started (the process that should have started it died first).
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  }

  /**
   * The ARN StartExecution answered, recorded on the order, when it is this attempt's; else
   * (an order started before ARNs were recorded, or whose start's answer was lost) the one
   * Step Functions gives an execution of that name: executions of a machine's versions are
   * named under the machine itself.
   */
  private executionArnOf(execution: ExecutionRef): string {
    const name = executionName(execution.orderId, execution.attempt);
    if (execution.executionArn?.endsWith(`:${name}`)) return execution.executionArn;
    return this.namedArnOf(execution);
  }

  private namedArnOf(execution: ExecutionRef): string {
    const machine = this.machineOf(execution).replace(':stateMachine:', ':execution:').replace(/:\d+$/, '');
    return `${machine}:${executionName(execution.orderId, execution.attempt)}`;
  }

  signal(token: string, output: ExecutionState): Promise<SignalOutcome> {
    return sendSignal(this.client, token, output);
  }
}

/** Completes a waiting task (SendTaskSuccess); what needs no more than that holds only a client. */
export async function sendSignal(
  client: SFNClient,
  token: string,
  output: ExecutionState,
): Promise<SignalOutcome> {
  try {
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    return 'delivered';
  } catch (error) {
    // A duplicate or outdated signal: the wait it was for is over (and perhaps its execution).
    if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
      return 'expired';
    throw error;
  }
}
