/**
 * The workflow simulator: one sample order through a workflow's compiled state machine, on
 * the same ASL interpreter the local stack runs (aws-local-stepfunctions), with every task a
 * dry run over an order held in memory. Nothing is reserved, raised, scheduled, called or
 * stored. Manual steps go through the real planners (transitions.ts, order.ts), so a refused
 * step carries the very problem the API would answer. Time is simulated: pauses and waits
 * move a clock, so a 14-day timeout fires at once.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { Principal } from '../auth/api-keys.js';
import { newOrder } from '../orders/order.js';
import type { OrderRecord } from '../orders/order-store.js';
import { planProgress, planTransition } from '../orders/plans.js';
import type { Actor, CreateOrderRequest, Order } from '../orders/schema.js';
import { enterStage, executionState } from '../orders/transitions.js';
import { apiCallUsd, MODEL_CAPACITY, PRICES, taskInvocationUsd } from '../pricing.js';
import { ProblemError } from '../problem.js';
import { compileWorkflow, WAIT_FOR_TRANSITION_RESOURCE } from '../workflow/compile.js';
import { durationSeconds } from '../workflow/duration.js';
import { DYNAMODB_AWS_SDK } from '../workflow/integrations.js';
import type { Workflow } from '../workflow/schema.js';
import {
  type ExecutionState,
  NOT_YET_DUE_ERROR,
  STAGE_CONFLICT_ERROR,
  type TaskPayload,
} from '../workflow/task-payloads.js';
import type { SimulationResult, SimulationStep } from './schema.js';

/** Past this many state transitions the simulation stops (an auto loop, or years of waiting). */
export const MAX_STATE_TRANSITIONS = 10_000;

export interface SimulationInput {
  /** A validated workflow (validate.ts): defaults applied. */
  workflow: Workflow;
  workflowVersion?: number;
  order: CreateOrderRequest;
  steps: SimulationStep[];
  /** The role manual steps are taken as (transitions' `roles`). */
  role: string;
  /** The simulated clock's start (ISO 8601). */
  startAt: string;
  maxStateTransitions?: number;
}

const TENANT = 'simulation';
const TARGETS = {
  tableName: 'orderflow-simulation',
  taskFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orderflow-simulation',
};
const SYSTEM: Actor = { type: 'system' };

type Cause = SimulationResult['path'][number]['cause'];
interface ParkedWait {
  stage: string;
  /** Simulated epoch milliseconds at which the wait's TimeoutSeconds elapse. */
  deadline: number;
  resume: (state: ExecutionState) => void;
  release: (error: Error) => void;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const { workflow } = input;
  const maxTransitions = input.maxStateTransitions ?? MAX_STATE_TRANSITIONS;
  const definition = compileWorkflow(workflow, TARGETS);
  let clock = Date.parse(input.startAt);
  const now = () => new Date(clock);
  let order: Order = newOrder({
    request: input.order,
    stage: workflow.initialStage,
    workflowVersion: input.workflowVersion ?? 0,
    now: now(),
  });
  let entry = 1;
  let stageEnteredAt = clock;
  const path: SimulationResult['path'] = [];
  const actions: SimulationResult['actions'] = [];
  const refused: SimulationResult['refused'] = [];
  const counts = { transitions: 0, tasks: 0, apiCalls: 1, orderChanges: 1, tokenWrites: 0, reads: 0 };
  let parked: ParkedWait | undefined;
  let finished = false;
  let truncated = false;
  let notify: (() => void) | undefined;
  const wake = () => {
    notify?.();
    notify = undefined;
  };
  /** Resolves once the machine rests: parked at a wait, or ended. */
  const settled = () =>
    parked || finished ? Promise.resolve() : new Promise<void>((resolve) => (notify = resolve));
  const visit = (stage: string, cause: Cause) => path.push({ stage, cause, at: now().toISOString() });
  visit(order.stage, 'created');

  const enter = (to: string, cause: Cause, moved: { order: Order }) => {
    order = moved.order;
    entry += 1;
    stageEnteredAt = clock;
    counts.orderChanges += 1;
    visit(to, cause);
  };
  const assertAt = (stage: string, at: number) => {
    if (order.stage !== stage || entry !== at) {
      throw namedError(
        STAGE_CONFLICT_ERROR,
        `The order is at ${order.stage} #${entry}, not ${stage} #${at}.`,
      );
    }
  };

  // The dry-run task function: what functions/workflow-task does, on the order in memory.
  const runTask = async (payload: TaskPayload): Promise<ExecutionState> => {
    counts.tasks += 1;
    counts.reads += 1;
    switch (payload.kind) {
      case 'runActions': {
        assertAt(payload.stage, payload.entry);
        for (const action of payload.actions) {
          actions.push({
            stage: payload.stage,
            id: action.id,
            type: action.type,
            at: now().toISOString(),
            params: action.params,
          });
          counts.orderChanges += 1;
        }
        order = {
          ...order,
          version: order.version + payload.actions.length,
          actions: { state: 'succeeded', failed: [] },
        };
        break;
      }
      case 'move': {
        assertAt(payload.from, payload.entry);
        if (
          payload.dueAfterSeconds !== undefined &&
          stageEnteredAt + payload.dueAfterSeconds * 1000 > clock
        ) {
          throw namedError(NOT_YET_DUE_ERROR, 'The stage timeout is not due yet.');
        }
        const { to, cause } = payload;
        enter(to, cause, enterStage({ order, workflow, to, cause, actor: SYSTEM, now: now() }));
        break;
      }
      case 'actionFailed':
        // Dry-run actions succeed: nothing is called that could fail.
        throw new Error('A dry-run action cannot fail.');
      case 'reload':
        break;
    }
    return executionState(TENANT, order, entry);
  };

  // The wait for a manual transition: the same conditional token write, then parked.
  const waitFor =
    (timeoutSeconds: number) =>
    (parameters: { ExpressionAttributeValues?: Record<string, { S?: string; N?: string }> }) => {
      const values = parameters.ExpressionAttributeValues ?? {};
      const stage = values[':stage']?.S ?? '';
      const version = values[':version']?.N;
      if (order.stage !== stage || (version !== undefined && Number(version) !== order.version)) {
        return Promise.reject(
          namedError(
            DYNAMODB_AWS_SDK.errorName('ConditionalCheckFailedException'),
            'The conditional request failed',
          ),
        );
      }
      counts.tokenWrites += 1;
      return new Promise<ExecutionState>((resume, release) => {
        parked = { stage, deadline: clock + timeoutSeconds * 1000, resume, release };
        wake();
      });
    };

  const handlers: Record<string, (input: never) => Promise<unknown>> = {};
  const waitOverrides: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Wait') waitOverrides[name] = 0;
    if (state.Type !== 'Task') continue;
    handlers[name] = (
      state.Resource === WAIT_FOR_TRANSITION_RESOURCE ? waitFor(Number(state.TimeoutSeconds)) : runTask
    ) as (input: never) => Promise<unknown>;
  }

  // The definition is the compiler's own output, checked when it was published.
  const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const run = machine.run(executionState(TENANT, order, entry) as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waitOverrides },
    context: { Execution: { Id: 'simulation', Name: 'simulation' }, Task: { Token: 'simulation' } } as never,
    noThrowOnAbort: true,
  });
  const counting = (async () => {
    for await (const event of run.eventLogs) {
      if (event.type !== 'StateEntered') continue;
      counts.transitions += 1;
      const state = definition.States[event.state.name];
      // Pauses are skipped at once; the clock moves by what they would have waited.
      if (state?.Type === 'Wait') clock += Number(state.Seconds) * 1000;
      if (counts.transitions >= maxTransitions && !truncated) {
        truncated = true;
        run.abort();
        wake();
      }
    }
  })();
  run.result
    .catch(() => undefined)
    .finally(() => {
      finished = true;
      wake();
    });

  // The simulated key holds every scope: what the role may do is the workflow's question here.
  const principal: Principal = { tenantId: TENANT, keyId: 'simulation', role: input.role, scopes: ['*'] };
  const currentRecord = (): OrderRecord => ({
    order,
    lastSequence: 0,
    entry,
    stageEnteredAt: new Date(stageEnteredAt).toISOString(),
    ...(parked ? { taskToken: 'simulation', taskTokenStage: parked.stage } : {}),
    actionResults: {},
    attempt: 0,
    halted: false,
  });
  const signal = (state: ExecutionState) => {
    const wait = parked;
    parked = undefined;
    wait?.resume(state);
  };

  const advance = async (seconds: number) => {
    const target = clock + seconds * 1000;
    while (parked && parked.deadline <= target && !truncated) {
      clock = parked.deadline;
      const wait = parked;
      parked = undefined;
      wait.release(namedError('States.Timeout', 'States.Timeout'));
      await settled();
    }
    clock = Math.max(clock, target);
  };

  await settled();
  for (const [index, step] of input.steps.entries()) {
    if (truncated) break;
    if ('wait' in step) {
      await advance(durationSeconds(step.wait));
      continue;
    }
    counts.apiCalls += 1;
    counts.reads += 1;
    try {
      // The API's own planners, on a record of the order as the simulation holds it.
      const read = {
        record: currentRecord(),
        pinned: { version: input.workflowVersion ?? 0, workflow },
        principal,
        ifMatchVersion: undefined,
        now: now(),
      };
      if ('progress' in step) {
        const { sku, code, ...request } = step.progress;
        const line =
          sku !== undefined ? { kind: 'item' as const, sku } : { kind: 'service' as const, code: code ?? '' };
        const planned = planProgress({ ...read, line, request });
        if (!planned) continue;
        order = planned.change.order;
        counts.orderChanges += 1;
        if (planned.change.signal) signal(planned.change.signal.output);
      } else {
        const planned = planTransition({ ...read, request: step });
        enter(step.to, 'api', planned.change);
        if (planned.change.signal) signal(planned.change.signal.output);
      }
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      refused.push({ step: index, status: error.status, problem: error.toProblem() });
      continue;
    }
    await settled();
  }

  run.abort();
  parked?.release(new Error('The simulation ended.'));
  await counting.catch(() => undefined);
  return {
    workflow: {
      name: workflow.name,
      ...(input.workflowVersion !== undefined ? { version: input.workflowVersion } : {}),
    },
    path,
    actions,
    refused,
    stateTransitions: counts.transitions,
    ...estimate(counts),
    finalStage: order.stage,
    endedAt: now().toISOString(),
    truncated,
  };
}

/** USD per 1,000 orders that take this path, priced with shared/pricing.ts. */
function estimate(counts: {
  transitions: number;
  tasks: number;
  apiCalls: number;
  orderChanges: number;
  tokenWrites: number;
  reads: number;
}) {
  const usd = {
    apiGateway: counts.apiCalls * apiCallUsd(),
    workflowTasks: counts.tasks * taskInvocationUsd(),
    stepFunctions: counts.transitions * PRICES.stepFunctionsPerTransition,
    dynamoWrites:
      (counts.orderChanges * MODEL_CAPACITY.writeUnitsPerOrderChange +
        counts.tokenWrites * MODEL_CAPACITY.writeUnitsPerTokenWrite) *
      PRICES.dynamoPerWriteUnit,
    dynamoReads: counts.reads * MODEL_CAPACITY.readUnitsPerRead * PRICES.dynamoPerReadUnit,
  };
  const per1000 = Object.fromEntries(Object.entries(usd).map(([name, value]) => [name, round(value * 1000)]));
  const total = Object.values(usd).reduce((sum, value) => sum + value, 0);
  return {
    estimatedUsdPer1000Orders: round(total * 1000),
    estimate: { apiCalls: counts.apiCalls, taskInvocations: counts.tasks, usdPer1000Orders: per1000 },
  };
}

const round = (value: number) => Math.round(value * 1e5) / 1e5;
