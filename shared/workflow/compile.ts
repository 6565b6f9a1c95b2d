/**
 * Compiles a validated workflow to an Amazon States Language definition (JSONPath).
 *
 * Every order's execution passes an `ExecutionState` between states. A new order's
 * execution starts at its initial stage's entry; `Route` jumps to the current stage's
 * entry, so an execution can resume an order in any stage. Per stage: onEnter actions (consecutive ones with the same retry and
 * onError share one Task) → one Choice over the auto transitions → a DynamoDB UpdateItem
 * through the AWS SDK integration, `.waitForTaskToken`, that parks until the API signals a
 * manual transition (or the
 * stage timeout fires). Standard workflows bill per state transition, so no state
 * exists that the design does not need. The output is deterministic: the same
 * workflow and targets give byte-identical JSON.
 */
import { STORE_UNAVAILABLE_ERROR } from '../errors.js';
import { aslOrderKey, orderAttributes } from '../table.js';
import { durationSeconds } from './duration.js';
import { DYNAMODB_AWS_SDK, LAMBDA_FUNCTION, PATTERN_SUFFIX } from './integrations.js';
import type { Action, Condition, Retry, Stage, Workflow } from './schema.js';
import {
  ACTION_FAILED_ERROR,
  HELD_WAIT_SUFFIX,
  NOT_YET_DUE_ERROR,
  ON_HOLD_ERROR,
  STAGE_CONFLICT_ERROR,
  type TaskAction,
  UNKNOWN_STAGE_ERROR,
} from './task-payloads.js';

export interface CompileTargets {
  /** The orders table (shared/table.ts), where waits store their task token. */
  tableName: string;
  /** The task function every Lambda Task state invokes (see task-payloads.ts). */
  taskFunctionArn: string;
}

export type AslState = { Type: 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' } & Record<string, unknown>;
export interface AslDefinition {
  Comment: string;
  QueryLanguage: 'JSONPath';
  StartAt: string;
  States: Record<string, AslState>;
}
export type ChoiceRule = Record<string, unknown>;

export const ROUTE_STATE = 'Route';
export const RELOAD_STATE = 'Reload';
const UNKNOWN_STAGE_STATE = 'Unknown stage';
const ACTION_FAILED_STATE = 'Action failed';
const MAX_STATE_NAME_LENGTH = 80;
/**
 * DynamoDB's optimized integration has no Wait for Callback; the AWS SDK integration has
 * (integrations.ts), and names its errors `DynamoDb.<Exception>`.
 */
export const WAIT_FOR_TRANSITION_RESOURCE = `arn:aws:states:::aws-sdk:dynamodb:updateItem${PATTERN_SUFFIX.waitForTaskToken}`;
const WAIT_CONDITION_FAILED = DYNAMODB_AWS_SDK.errorName('ConditionalCheckFailedException');
/**
 * Throttles and server errors of the wait's token write: retried, where a conditional-check
 * failure (the order moved) is caught, so `States.ALL` must not be among them.
 */
const TRANSIENT_DYNAMODB_RETRIER = {
  ErrorEquals: [
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'InternalServerError',
    'ServiceUnavailable',
    'TransactionConflictException',
  ].map(DYNAMODB_AWS_SDK.errorName),
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};
/**
 * The task function's store did not answer (throttled, unreachable): every Task is safe to
 * run again (its writes are conditional on the stage entry, its actions idempotent), so it is
 * retried for about two minutes before the execution gives up and the order is resumed later.
 */
const STORE_UNAVAILABLE_RETRIER = {
  ErrorEquals: [STORE_UNAVAILABLE_ERROR],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};
/**
 * The task function ran out of time (Lambda reports it as `Lambda.Unknown`, an init timeout
 * as `Sandbox.Timedout`): its timeout covers the longest step the validator allows
 * (infra/constructs/function.ts), so this is a hung dependency. One more run skips what
 * already succeeded; a second timeout counts as the action's failure.
 */
export const TASK_TIMEOUT_ERRORS = ['Lambda.Unknown', 'Sandbox.Timedout'];
const TASK_TIMEOUT_RETRIER = {
  ErrorEquals: TASK_TIMEOUT_ERRORS,
  IntervalSeconds: 1,
  MaxAttempts: 1,
  JitterStrategy: 'FULL',
};
const STORE_UNAVAILABLE_STATE = 'Store unavailable';
/** Lambda's own maximum; without it the local interpreter would stop a Task after 60 s. */
const LAMBDA_TASK_TIMEOUT_SECONDS = 900;
/**
 * The longest a single wait lasts: 24 days, within what interpreters can time (JavaScript
 * timers stop at 24.8 days). A longer wait re-arms itself: one extra state transition per
 * 24 days of idling, and a stage timeout longer than that is checked against when the
 * order entered the stage.
 */
export const MAX_WAIT_SECONDS = 24 * 24 * 60 * 60;

/** Errors of the Lambda service itself (throttling, cold-start failures), worth retrying for any task. */
const TRANSIENT_LAMBDA_RETRIER = {
  ErrorEquals: [
    'ServiceException',
    'AWSLambdaException',
    'SdkClientException',
    'TooManyRequestsException',
    'ClientExecutionTimeoutException',
  ].map(LAMBDA_FUNCTION.errorName),
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/** What every Task of the task function retries, whatever it runs. */
const TASK_RETRIERS = [TRANSIENT_LAMBDA_RETRIER, STORE_UNAVAILABLE_RETRIER, TASK_TIMEOUT_RETRIER];

const CATCH_CONFLICT = { ErrorEquals: [STAGE_CONFLICT_ERROR], ResultPath: '$.error', Next: RELOAD_STATE };

type Continuation = { Next: string } | { End: true };

/** Consecutive onEnter actions that become one state. */
type ActionStep =
  | { kind: 'group'; name: string; failureName: string; actions: Exclude<Action, { type: 'wait' }>[] }
  | { kind: 'pause'; name: string; seconds: number };

const orderRef = { 'tenantId.$': '$.tenantId', 'orderId.$': '$.orderId' };

export function compileWorkflow(workflow: Workflow, targets: CompileTargets): AslDefinition {
  const stagesById = new Map(workflow.stages.map((stage) => [stage.id, stage]));
  const steps = new Map(workflow.stages.map((stage) => [stage.id, actionSteps(stage)]));
  const states: Record<string, AslState> = {};

  // Every Task's result replaces the state (the default ResultPath, `$`). It is left
  // implicit because aws-local-stepfunctions 3 reads an explicit `"$"` as a key named "$".
  const lambdaTask = (parameters: Record<string, unknown>, extra: Record<string, unknown>): AslState => ({
    Type: 'Task',
    Resource: targets.taskFunctionArn,
    Parameters: parameters,
    ...extra,
  });

  /** The first state of a stage, for Choice states (which cannot end an execution). */
  const entryState = (stageId: string): string => {
    const stage = stagesById.get(stageId) as Stage;
    const first = steps.get(stageId)?.[0];
    if (first) return first.name;
    return stage.final ? `${stage.id}: done` : afterActionsState(stage);
  };
  /** Entering a stage from a Task: a final stage without actions ends right there. */
  const enter = (stageId: string): Continuation => {
    const stage = stagesById.get(stageId) as Stage;
    return stage.final && stage.onEnter.length === 0 ? { End: true } : { Next: entryState(stageId) };
  };

  states[ROUTE_STATE] = {
    Type: 'Choice',
    Choices: workflow.stages.map((stage) => ({
      Variable: '$.stage',
      StringEquals: stage.id,
      Next: entryState(stage.id),
    })),
    Default: UNKNOWN_STAGE_STATE,
  };

  for (const stage of workflow.stages) {
    const stageSteps = steps.get(stage.id) ?? [];
    const afterActions: Continuation = stage.final ? { End: true } : { Next: afterActionsState(stage) };
    stageSteps.forEach((step, index) => {
      const next: Continuation = stageSteps[index + 1]
        ? { Next: stageSteps[index + 1]?.name as string }
        : afterActions;
      if (step.kind === 'pause') {
        states[step.name] = { Type: 'Wait', Seconds: step.seconds, ...next };
        return;
      }
      const [first] = step.actions;
      if (!first) return;
      states[step.name] = lambdaTask(
        {
          kind: 'runActions',
          ...orderRef,
          stage: stage.id,
          'entry.$': '$.entry',
          actions: step.actions.map(toTaskAction),
        },
        {
          TimeoutSeconds: LAMBDA_TASK_TIMEOUT_SECONDS,
          Retry: retriers(first.retry),
          Catch: [
            CATCH_CONFLICT,
            // A store outage is no failure of the action: the execution ends, the order keeps
            // its stage, and the stranded-order sweep resumes it (shared/orders/stranded.ts).
            { ErrorEquals: [STORE_UNAVAILABLE_ERROR], ResultPath: '$.error', Next: STORE_UNAVAILABLE_STATE },
            { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: step.failureName },
          ],
          ...next,
        },
      );
      const onError = first.onError;
      let afterFailure: Continuation;
      if (onError === 'fail') afterFailure = { Next: ACTION_FAILED_STATE };
      // Running the group again skips what succeeded and what failed, so the rest still runs.
      else if (onError === 'continue') afterFailure = step.actions.length > 1 ? { Next: step.name } : next;
      else afterFailure = enter(onError.transitionTo);
      states[step.failureName] = lambdaTask(
        {
          kind: 'actionFailed',
          ...orderRef,
          stage: stage.id,
          'entry.$': '$.entry',
          actionIds: step.actions.map((action) => action.id),
          onError,
          'error.$': '$.error',
        },
        { Retry: TASK_RETRIERS, Catch: [CATCH_CONFLICT], ...afterFailure },
      );
    });

    if (stage.final) {
      if (stageSteps.length === 0) states[`${stage.id}: done`] = { Type: 'Succeed' };
      continue;
    }

    const { conditional, unconditional } = autoRoutes(stage);
    const fallback = unconditional ? moveState(stage, unconditional.to, 'auto') : `${stage.id}: wait`;
    const recheck = rechecksOnChange(stage);
    // Where an order on hold waits instead of moving: a stage that re-checks on change parks in
    // its ordinary wait (the release re-checks it); any other in the wait for the release.
    const heldAuto = recheck ? `${stage.id}: wait` : heldWaitState(stage, 'auto');
    if (conditional.length > 0) {
      states[`${stage.id}: auto`] = {
        Type: 'Choice',
        Choices: [
          // Executions started before holds existed carry no `onHold`: then it is not held.
          {
            And: [
              { Variable: '$.order.onHold', IsPresent: true },
              { Variable: '$.order.onHold', BooleanEquals: true },
            ],
            Next: heldAuto,
          },
          ...conditional.map((transition) => ({
            ...compileChoiceRule(transition.when as Condition),
            Next: moveState(stage, transition.to, 'auto'),
          })),
        ],
        Default: fallback,
      };
    }
    if (unconditional) states[heldAuto] = heldWait(stage, 'auto', afterActionsState(stage));
    for (const transition of [...conditional, ...(unconditional ? [unconditional] : [])]) {
      states[moveState(stage, transition.to, 'auto')] = moveTask(stage, transition.to, 'auto', heldAuto);
    }
    if (unconditional) continue;

    const manualTargets = stage.transitions.filter((transition) => !transition.auto).map((t) => t.to);
    const [onlyTarget] = manualTargets;
    if (recheck) {
      // The wait's output comes back here. Still in this stage: a change re-checks the auto
      // transitions on the fresh order data it carries. Elsewhere: a manual transition, routed
      // straight to its target (as Route would), so it costs what it cost before.
      const auto = states[`${stage.id}: auto`] as AslState & { Choices: ChoiceRule[] };
      auto.Choices = [
        ...manualTargets.map((to) => ({ Variable: '$.stage', StringEquals: to, Next: entryState(to) })),
        { Not: { Variable: '$.stage', StringEquals: stage.id }, Next: ROUTE_STATE },
        ...auto.Choices,
      ];
    }
    const versionCheck = recheck
      ? {
          // Parks only on the data the Choice just saw: a change that landed meanwhile found no
          // token to signal, so the condition fails, and Reload evaluates the fresh order.
          ConditionExpression: '#stage = :stage AND #order.#version = :version',
          ExpressionAttributeNames: {
            ...WAIT_ATTRIBUTE_NAMES,
            '#order': orderAttributes.order,
            '#version': orderAttributes.version,
          },
          ExpressionAttributeValues: {
            ...waitAttributeValues(stage.id),
            ':version': { 'N.$': 'States.JsonToString($.version)' },
          },
        }
      : {};
    states[`${stage.id}: wait`] = {
      Type: 'Task',
      Resource: WAIT_FOR_TRANSITION_RESOURCE,
      Parameters: {
        TableName: targets.tableName,
        Key: aslOrderKey,
        // A signal still stored on the order is the one that brought the execution here.
        UpdateExpression: 'SET #taskToken = :taskToken, #taskTokenStage = :stage REMOVE #pendingSignal',
        // The order may have moved before the wait began; then nobody would signal this token.
        ConditionExpression: '#stage = :stage',
        ExpressionAttributeNames: WAIT_ATTRIBUTE_NAMES,
        ExpressionAttributeValues: waitAttributeValues(stage.id),
        ...versionCheck,
      },
      // The signal's output (SendTaskSuccess) is the next execution state (default ResultPath).
      TimeoutSeconds: Math.min(
        stage.timeout ? durationSeconds(stage.timeout.after) : MAX_WAIT_SECONDS,
        MAX_WAIT_SECONDS,
      ),
      Retry: [TRANSIENT_DYNAMODB_RETRIER],
      Catch: [
        {
          ErrorEquals: [WAIT_CONDITION_FAILED],
          ResultPath: '$.error',
          Next: RELOAD_STATE,
        },
        {
          ErrorEquals: ['States.Timeout'],
          // ResultPath null keeps the execution state as it was for the state that follows.
          ResultPath: null,
          Next: stage.timeout ? moveState(stage, stage.timeout.to, 'timeout') : `${stage.id}: wait`,
        },
      ],
      ...(recheck
        ? { Next: `${stage.id}: auto` }
        : manualTargets.length === 1 && onlyTarget
          ? enter(onlyTarget)
          : { Next: ROUTE_STATE }),
    };
    if (stage.timeout) {
      const timeoutMove = moveState(stage, stage.timeout.to, 'timeout');
      states[timeoutMove] = moveTask(stage, stage.timeout.to, 'timeout', heldWaitState(stage, 'timeout'));
      // The timeout fell due during a hold: it fires when the last hold is released.
      states[heldWaitState(stage, 'timeout')] = heldWait(stage, 'timeout', timeoutMove);
    }
  }

  const referenced = new Set(Object.values(states).flatMap(referencedStates));
  if (referenced.has(RELOAD_STATE)) {
    states[RELOAD_STATE] = lambdaTask(
      { kind: 'reload', ...orderRef },
      { Retry: TASK_RETRIERS, Next: ROUTE_STATE },
    );
  }
  if (referenced.has(ACTION_FAILED_STATE)) {
    states[ACTION_FAILED_STATE] = {
      Type: 'Fail',
      Error: ACTION_FAILED_ERROR,
      Cause: "An onEnter action failed; the order stays in its stage and the order's history has the error.",
    };
  }
  if (referenced.has(STORE_UNAVAILABLE_STATE)) {
    states[STORE_UNAVAILABLE_STATE] = {
      Type: 'Fail',
      Error: STORE_UNAVAILABLE_ERROR,
      Cause: 'The data store stayed unavailable; the order keeps its stage and is resumed later.',
    };
  }
  states[UNKNOWN_STAGE_STATE] = {
    Type: 'Fail',
    Error: UNKNOWN_STAGE_ERROR,
    Cause: 'The execution was started in a stage this workflow version does not have.',
  };

  return {
    Comment: `Orderflow workflow "${workflow.name}"`,
    QueryLanguage: 'JSONPath',
    StartAt: startState(),
    States: states,
  };

  /**
   * Executions of new orders start in the initial stage, so they go straight to its entry and
   * save the Route transition. A wait or an action task checks the order's stage itself, so
   * an execution started elsewhere (a retry, a migration, a resume) falls back through Reload
   * to Route; any other entry could not tell, so those workflows start at Route.
   */
  function startState(): string {
    const initial = workflow.initialStage;
    const entry = entryState(initial);
    const checksStage = entry === `${initial}: wait` || steps.get(initial)?.[0]?.name === entry;
    return checksStage ? entry : ROUTE_STATE;
  }

  /**
   * Parks while the order is on hold, until the release of its last hold signals it; then (or
   * when it finds no hold left to wait for) it goes on to `next`, which checks again.
   */
  function heldWait(stage: Stage, cause: 'auto' | 'timeout', next: string): AslState {
    return {
      Type: 'Task',
      Resource: WAIT_FOR_TRANSITION_RESOURCE,
      Parameters: {
        TableName: targets.tableName,
        Key: aslOrderKey,
        UpdateExpression: 'SET #taskToken = :taskToken, #taskTokenStage = :heldStage REMOVE #pendingSignal',
        // Parks only while the order is still here and still held: a release that committed
        // before the wait began found no token to signal.
        ConditionExpression: '#stage = :stage AND size(#order.#holds) > :none',
        ExpressionAttributeNames: {
          ...WAIT_ATTRIBUTE_NAMES,
          '#order': orderAttributes.order,
          // Inside `order`, like `version`: the order's active holds (shared/orders/schema.ts).
          '#holds': 'holds',
        },
        ExpressionAttributeValues: {
          ...waitAttributeValues(stage.id),
          ':heldStage': { S: `${stage.id}${HELD_WAIT_SUFFIX}` },
          ':none': { N: '0' },
        },
      },
      TimeoutSeconds: MAX_WAIT_SECONDS,
      Retry: [TRANSIENT_DYNAMODB_RETRIER],
      Catch: [
        { ErrorEquals: [WAIT_CONDITION_FAILED], ResultPath: '$.error', Next: next },
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: heldWaitState(stage, cause) },
      ],
      Next: next,
    };
  }

  function moveTask(from: Stage, to: string, cause: 'auto' | 'timeout', whenHeld: string): AslState {
    const catchHeld = { ErrorEquals: [ON_HOLD_ERROR], ResultPath: null, Next: whenHeld };
    if (cause === 'auto') {
      return lambdaTask(
        { kind: 'move', ...orderRef, from: from.id, to, 'entry.$': '$.entry', cause },
        { Retry: TASK_RETRIERS, Catch: [CATCH_CONFLICT, catchHeld], ...enter(to) },
      );
    }
    const dueAfterSeconds = durationSeconds(from.timeout?.after ?? 'PT0S');
    return lambdaTask(
      { kind: 'move', ...orderRef, from: from.id, to, 'entry.$': '$.entry', cause, dueAfterSeconds },
      {
        Retry: TASK_RETRIERS,
        Catch: [
          CATCH_CONFLICT,
          // A timeout longer than one wait: not due yet, so wait on.
          { ErrorEquals: [NOT_YET_DUE_ERROR], ResultPath: null, Next: `${from.id}: wait` },
          catchHeld,
        ],
        ...enter(to),
      },
    );
  }
}

const WAIT_ATTRIBUTE_NAMES = {
  '#stage': orderAttributes.stage,
  '#taskToken': orderAttributes.taskToken,
  '#taskTokenStage': orderAttributes.taskTokenStage,
  '#pendingSignal': orderAttributes.pendingSignal,
};

function waitAttributeValues(stageId: string): Record<string, unknown> {
  return {
    ':taskToken': { 'S.$': '$$.Task.Token' },
    ':stage': { S: stageId },
  };
}

/** After the actions: the auto Choice, else the one unconditional auto move, else the wait. */
function afterActionsState(stage: Stage): string {
  const { conditional, unconditional } = autoRoutes(stage);
  if (conditional.length > 0) return `${stage.id}: auto`;
  return unconditional ? moveState(stage, unconditional.to, 'auto') : `${stage.id}: wait`;
}

/**
 * Whether the order can wait in the stage with auto transitions that might become true: then
 * any change to the waiting order re-checks them (the API signals the wait with the changed
 * order's state, same stage and entry), and the wait parks only while the stored order is
 * still at the version its state was read at. Other stages are never woken by changes.
 */
export function rechecksOnChange(stage: Stage): boolean {
  if (stage.final) return false;
  const { conditional, unconditional } = autoRoutes(stage);
  return conditional.length > 0 && unconditional === undefined;
}

/** Auto transitions up to the first one without `when`; later ones can never be taken. */
function autoRoutes(stage: Stage) {
  const autos = stage.transitions.filter((transition) => transition.auto);
  const firstUnconditional = autos.findIndex((transition) => transition.when === undefined);
  return firstUnconditional < 0
    ? { conditional: autos, unconditional: undefined }
    : { conditional: autos.slice(0, firstUnconditional), unconditional: autos[firstUnconditional] };
}

function heldWaitState(stage: Stage, cause: 'auto' | 'timeout'): string {
  return `${stage.id}: held (${cause})`;
}

function moveState(from: Stage, to: string, cause: 'auto' | 'timeout'): string {
  const readable = `${from.id}: move to ${to} (${cause})`;
  if (readable.length <= MAX_STATE_NAME_LENGTH) return readable;
  // Two long ids: the transition's position keeps the name unique and within ASL's limit.
  const index = from.transitions.findIndex(
    (transition) => transition.to === to && (cause === 'timeout' || transition.auto),
  );
  return `${from.id}: move #${index} (${cause})`;
}

function actionSteps(stage: Stage): ActionStep[] {
  const steps: ActionStep[] = [];
  for (const action of stage.onEnter) {
    if (action.type === 'wait') {
      steps.push({
        kind: 'pause',
        name: `${stage.id}: pause ${action.id}`,
        seconds: durationSeconds(action.duration),
      });
      continue;
    }
    const last = steps.at(-1);
    const [previous] = last?.kind === 'group' ? last.actions.slice(-1) : [];
    if (last?.kind === 'group' && previous && sameFailureHandling(previous, action))
      last.actions.push(action);
    else steps.push({ kind: 'group', name: '', failureName: '', actions: [action] });
  }
  const groups = steps.filter((step) => step.kind === 'group');
  groups.forEach((group, index) => {
    const suffix = groups.length === 1 ? '' : ` ${index + 1}`;
    group.name = `${stage.id}: run actions${suffix}`;
    group.failureName = `${stage.id}: actions failed${suffix}`;
  });
  return steps;
}

function sameFailureHandling(
  a: Exclude<Action, { type: 'wait' }>,
  b: Exclude<Action, { type: 'wait' }>,
): boolean {
  return JSON.stringify([a.retry, a.onError]) === JSON.stringify([b.retry, b.onError]);
}

function toTaskAction(action: Exclude<Action, { type: 'wait' }>): TaskAction {
  const { id, type, retry: _retry, onError: _onError, ...params } = action;
  return { id, type, params };
}

/** Retry an action's Task as its `retry` says, except when the order has left the stage. */
function retriers(retry: Retry | undefined): Record<string, unknown>[] {
  if (!retry || retry.maxAttempts <= 1) return TASK_RETRIERS;
  return [
    { ErrorEquals: [STAGE_CONFLICT_ERROR], MaxAttempts: 0 },
    ...TASK_RETRIERS,
    {
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: durationSeconds(retry.interval),
      MaxAttempts: retry.maxAttempts - 1,
      BackoffRate: retry.backoffRate,
      JitterStrategy: 'FULL',
    },
  ];
}

function referencedStates(state: AslState): string[] {
  const names: string[] = [];
  if (typeof state.Next === 'string') names.push(state.Next);
  if (typeof state.Default === 'string') names.push(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const entry of list) names.push((entry as { Next: string }).Next);
  }
  return names;
}

const OP_SUFFIX = {
  eq: 'Equals',
  lt: 'LessThan',
  lte: 'LessThanEquals',
  gt: 'GreaterThan',
  gte: 'GreaterThanEquals',
};

/**
 * A condition as an ASL Choice rule (without `Next`), with the semantics documented in
 * conditions.ts. Comparisons first check presence and type: Step Functions fails the
 * execution when a comparison reads a missing path, and And stops at the first false.
 */
export function compileChoiceRule(condition: Condition): ChoiceRule {
  if ('all' in condition) return { And: condition.all.map(compileChoiceRule) };
  if ('any' in condition) return { Or: condition.any.map(compileChoiceRule) };
  if ('not' in condition) return { Not: compileChoiceRule(condition.not) };
  const Variable = `$.order.${condition.field}`;
  const present = { Variable, IsPresent: true };
  switch (condition.op) {
    case 'exists':
      return present;
    case 'ne':
      return { Not: compileChoiceRule({ ...condition, op: 'eq' }) };
    case 'matches':
      return { And: [present, { Variable, IsString: true }, { Variable, StringMatches: condition.value }] };
    default: {
      if (typeof condition.value === 'boolean') {
        // Booleans have no order; the evaluator holds relational ops on them false, and so does this.
        if (condition.op !== 'eq') return { And: [present, { Variable, IsPresent: false }] };
        return {
          And: [present, { Variable, IsBoolean: true }, { Variable, BooleanEquals: condition.value }],
        };
      }
      const isNumber = typeof condition.value === 'number';
      return {
        And: [
          present,
          { Variable, [isNumber ? 'IsNumeric' : 'IsString']: true },
          { Variable, [`${isNumber ? 'Numeric' : 'String'}${OP_SUFFIX[condition.op]}`]: condition.value },
        ],
      };
    }
  }
}
