import { randomBytes, randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type ExecutionRef,
  type ExecutionStart,
  executionName,
  type SignalOutcome,
  type WorkflowEngine,
} from '../shared/orders/workflow-engine.js';
import type { AslDefinition } from '../shared/workflow/compile.js';
import {
  DYNAMODB_AWS_SDK,
  integrationOf,
  LAMBDA_FUNCTION,
  unsupportedTasks,
} from '../shared/workflow/integrations.js';
import type { ExecutionState, TaskPayload } from '../shared/workflow/task-payloads.js';

/** A definition Step Functions would refuse (shared/workflow/integrations.ts). */
export class UnsupportedDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Step Functions would refuse this state machine: ${problems.join('; ')}`);
    this.name = 'UnsupportedDefinitionError';
  }
}

type StateMachineDefinition = ConstructorParameters<typeof StateMachine>[0];

interface RunningExecution {
  name: string;
  attempt: number;
  abort: () => void;
  done: Promise<void>;
}

/** Random token characters (base64url, so never the ':' that ends an execution's name). */
function padding(length: number): string {
  return length > 0 ? randomBytes(length).toString('base64url').slice(0, length) : '';
}

export interface LocalEngineOptions {
  /** DynamoDB Local, for the waits' task-token writes (the same UpdateItem Step Functions would make). */
  dynamo: DynamoDBClient;
  /** The task function, in process. */
  runTask: (payload: TaskPayload) => Promise<ExecutionState>;
  /** The compiled definition an order's workflow version runs. */
  definitionOf: (tenantId: string, workflowVersion: number, revision?: number) => Promise<AslDefinition>;
  /** `errorName` is what Step Functions would report as the execution's error. */
  onExecutionFailed?: (
    name: string,
    error: unknown,
    failed: { tenantId: string; orderId: string; errorName: string },
  ) => void;
  /**
   * Measurement only: tokens as long as this, like Step Functions' own (600–700 characters),
   * so the order items that carry one have the size, and cost the write units, they have on AWS.
   */
  taskTokenLength?: number;
}

/**
 * Runs each order's compiled ASL with aws-local-stepfunctions: the exact definition Step
 * Functions would run. Task states call the task function in process; each wait performs
 * its DynamoDB integration against DynamoDB Local with the definition's own parameters and
 * then parks until the API signals its token.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  private readonly running = new Map<string, RunningExecution>();
  private readonly parked = new Map<
    string,
    {
      resume: (output: ExecutionState) => void;
      release: (reason: Error) => void;
      /** The token is on the order: a signal can reach this wait. */
      stored?: boolean;
    }
  >();
  private readonly machines = new Map<string, StateMachine>();
  /** State transitions per execution name, counted from the interpreter's event log. */
  readonly stateTransitions = new Map<string, number>();

  constructor(private readonly options: LocalEngineOptions) {}

  async deploy(): Promise<{ executionTarget?: string }> {
    // Definitions are read from the workflow store when an execution starts.
    return {};
  }

  async start(execution: ExecutionStart): Promise<{ executionArn: string }> {
    const key = `${execution.tenantId}/${execution.orderId}`;
    const name = executionName(execution.orderId, execution.attempt);
    const executionArn = `local:${name}`;
    const current = this.running.get(key);
    if (current && current.attempt >= execution.attempt) return { executionArn };
    if (current) {
      current.abort();
      await current.done;
    }
    const definition = await this.options.definitionOf(
      execution.tenantId,
      execution.workflowVersion,
      execution.workflowRevision,
    );
    const machine = this.machineFor(definition);
    const tokenLength = this.options.taskTokenLength ?? 0;
    const run = machine.run(execution.state as never, {
      overrides: { taskResourceLocalHandlers: this.handlersFor(definition) as never },
      context: {
        Execution: { Id: executionArn, Name: name },
        // A fresh token each time a state reads it, as Step Functions gives each task its own.
        Task: {
          get Token() {
            const token = `${name}:${randomUUID()}`;
            return token + padding(tokenLength - token.length);
          },
        },
      } as never,
      noThrowOnAbort: true,
    });
    this.stateTransitions.set(name, 0);
    const counting = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered')
          this.stateTransitions.set(name, (this.stateTransitions.get(name) ?? 0) + 1);
      }
    })();
    const done = run.result
      .then(() => undefined)
      .catch((error: unknown) =>
        this.options.onExecutionFailed?.(name, error, {
          tenantId: execution.tenantId,
          orderId: execution.orderId,
          errorName: executionErrorName(error),
        }),
      );
    // The execution ends for its observers only once its event log is counted as well.
    const ended = Promise.all([done, counting.catch(() => undefined)]).then(() => {
      if (this.running.get(key)?.name === name) this.running.delete(key);
      // The ended execution's waits are over: their tokens are dead, as on Step Functions.
      for (const token of this.parked.keys()) if (token.startsWith(`${name}:`)) this.parked.delete(token);
    });
    this.running.set(key, { name, attempt: execution.attempt, abort: run.abort, done: ended });
    return { executionArn };
  }

  async signal(token: string, output: ExecutionState): Promise<SignalOutcome> {
    const parked = this.parked.get(token);
    // Outdated tokens (a finished wait, an ended execution, a previous process), as Step Functions answers them.
    if (!parked) return 'expired';
    this.parked.delete(token);
    parked.resume(output);
    return 'delivered';
  }

  /** True while the order has an execution in this process. */
  isRunning(tenantId: string, orderId: string): boolean {
    return this.running.has(`${tenantId}/${orderId}`);
  }

  /** True while the order's execution rests at a wait whose token the order holds. */
  isWaiting(tenantId: string, orderId: string): boolean {
    const running = this.running.get(`${tenantId}/${orderId}`);
    if (!running) return false;
    return [...this.parked].some(([token, wait]) => wait.stored && token.startsWith(`${running.name}:`));
  }

  async isLive(execution: ExecutionRef): Promise<boolean> {
    return this.running.get(`${execution.tenantId}/${execution.orderId}`)?.attempt === execution.attempt;
  }

  async stop(execution: ExecutionRef): Promise<void> {
    const running = this.running.get(`${execution.tenantId}/${execution.orderId}`);
    if (!running || running.attempt !== execution.attempt) return;
    running.abort();
    await running.done;
  }

  /** Aborts every execution (the stack is stopping); their orders resume on the next start. */
  async shutdown(): Promise<void> {
    const executions = [...this.running.values()];
    for (const execution of executions) execution.abort();
    // A parked wait holds the interpreter's task timer (up to 24 days) until it settles:
    // releasing it lets the process exit.
    for (const [token, parked] of this.parked) {
      this.parked.delete(token);
      parked.release(new Error('The local engine stopped.'));
    }
    await Promise.all(executions.map((execution) => execution.done));
  }

  /**
   * One StateMachine per distinct definition: constructing one validates the definition with
   * ajv, which compiled its schemas again every time and was the local stack's largest CPU
   * cost per order (the lifecycle benchmark's profile). Executions of one machine are
   * independent, so they share it.
   */
  private machineFor(definition: AslDefinition): StateMachine {
    const key = JSON.stringify(definition);
    let machine = this.machines.get(key);
    if (!machine) {
      const problems = unsupportedTasks(definition);
      if (problems.length > 0) throw new UnsupportedDefinitionError(problems);
      machine = new StateMachine(definition as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
      if (this.machines.size >= 256) this.machines.delete(this.machines.keys().next().value as string);
      this.machines.set(key, machine);
    }
    return machine;
  }

  private handlersFor(definition: AslDefinition): Record<string, (input: never) => Promise<unknown>> {
    const handlers: Record<string, (input: never) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      // machineFor refused every other resource; these are the two the compiler emits.
      const found = integrationOf(String(state.Resource));
      if (found?.integration === DYNAMODB_AWS_SDK && found.pattern === 'waitForTaskToken') {
        handlers[name] = (parameters: never) => this.waitForSignal(parameters);
      } else if (found?.integration === LAMBDA_FUNCTION) {
        handlers[name] = (payload: never) => this.options.runTask(payload);
      } else {
        throw new UnsupportedDefinitionError([`"${name}": the local engine cannot run ${state.Resource}`]);
      }
    }
    return handlers;
  }

  private async waitForSignal(parameters: UpdateItemCommandInput): Promise<ExecutionState> {
    const token = parameters.ExpressionAttributeValues?.[':taskToken']?.S;
    if (!token) throw new Error('The wait state did not pass its task token.');
    // One wait at a time per execution: an earlier token of it (its wait timed out) is dead.
    const execution = token.slice(0, token.lastIndexOf(':'));
    for (const parkedToken of this.parked.keys()) {
      if (parkedToken.startsWith(`${execution}:`)) this.parked.delete(parkedToken);
    }
    const signalled = new Promise<ExecutionState>((resume, release) =>
      this.parked.set(token, { resume, release }),
    );
    // An aborted execution no longer awaits its wait; a release must not become an unhandled rejection.
    signalled.catch(() => undefined);
    try {
      await this.options.dynamo.send(new UpdateItemCommand(parameters));
      const parked = this.parked.get(token);
      if (parked) parked.stored = true;
    } catch (error) {
      this.parked.delete(token);
      throw awsSdkIntegrationError(error);
    }
    return signalled;
  }
}

/**
 * A DynamoDB error as Step Functions' AWS SDK integration reports it, which is what the
 * definition's Retry and Catch match: `DynamoDb.ConditionalCheckFailedException`,
 * `DynamoDb.ProvisionedThroughputExceededException`, `DynamoDb.RequestLimitExceededException`.
 */
export function awsSdkIntegrationError(error: unknown): Error {
  if (!(error instanceof Error) || !(error as { $fault?: unknown }).$fault) return error as Error;
  const named = new Error(error.message);
  named.name = DYNAMODB_AWS_SDK.errorName(error.name);
  return named;
}

/** The interpreter wraps what failed the execution (a Fail state's Error, a task's error) as the cause. */
function executionErrorName(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.name;
  return error instanceof Error ? error.name : 'States.Runtime';
}
