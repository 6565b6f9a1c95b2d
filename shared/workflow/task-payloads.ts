/**
 * The contract between a compiled state machine (compile.ts) and the task function
 * that runs its Task states. Every Task state calls the one task function with one of
 * these payloads (`kind` tells them apart) and takes its return value as the next
 * execution state, so a handler always answers with an `ExecutionState`.
 */
import type { ConditionView } from './conditions.js';
import type { ActionType, OnError } from './schema.js';

/** The JSON passed between the states of an order's execution. */
export interface ExecutionState {
  tenantId: string;
  orderId: string;
  /** The stage the order is in (or, after a signal, has just been moved to). */
  stage: string;
  /** Counts the order's stage entries; actions are idempotent per (order, entry, action id). */
  entry: number;
  /** `conditionView(order)`: what auto-transition conditions read, at `$.order`. */
  order: ConditionView;
  /**
   * The order's version this state was read at. A stage with conditional auto transitions
   * only parks its wait while the stored order is still at it (see compile.ts).
   */
  version?: number;
}

export const TASK_KINDS = ['runActions', 'actionFailed', 'move', 'reload'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * Thrown by a handler when the order is no longer where the payload says (another
 * stage, or another entry of it). The machine then reloads the order and routes on
 * its current stage instead of failing.
 */
export const STAGE_CONFLICT_ERROR = 'Orderflow.StageConflict';
/** Thrown by a timeout move whose stage timeout has not elapsed yet (it outlasts one wait). */
export const NOT_YET_DUE_ERROR = 'Orderflow.NotYetDue';
/**
 * Thrown by an auto or timeout move while the order is on hold: the machine parks in the
 * stage's held wait, which the release of the last hold signals.
 */
export const ON_HOLD_ERROR = 'Orderflow.OnHold';
/** The Fail state reached when an execution is started in a stage the workflow lacks. */
export const UNKNOWN_STAGE_ERROR = 'Orderflow.UnknownStage';
/** The Fail state reached after an action with `onError: "fail"` failed and was recorded. */
export const ACTION_FAILED_ERROR = 'Orderflow.ActionFailed';

/**
 * What a held wait writes as `taskTokenStage`: the stage id and this suffix (stage ids never
 * contain `#`), so the API can tell a wait for a hold's release from a wait for a transition.
 */
export const HELD_WAIT_SUFFIX = '#held';

/** An action as the task function receives it: the document's type-specific fields under `params`. */
export interface TaskAction {
  id: string;
  type: Exclude<ActionType, 'wait'>;
  params: Record<string, unknown>;
}

/**
 * Run the actions in order. Skip any that already succeeded, or whose failure was
 * already recorded with `onError: "continue"`, for this (order, entry): the state may
 * be retried, and after a recorded failure the same payload runs again for the rest.
 * Throw on the first failure; return the refreshed state.
 */
export interface RunActionsPayload {
  kind: 'runActions';
  tenantId: string;
  orderId: string;
  stage: string;
  entry: number;
  actions: TaskAction[];
}

/**
 * The actions of a runActions payload failed after their retries. Record the failure
 * (the first of `actionIds` without a success for this entry is the one that failed)
 * and apply `onError`: `fail` emits order.action_failed and the machine then fails;
 * `continue` only records; `{ transitionTo }` moves the order there (a new entry).
 */
export interface ActionFailedPayload {
  kind: 'actionFailed';
  tenantId: string;
  orderId: string;
  stage: string;
  entry: number;
  actionIds: string[];
  onError: OnError;
  /** What Step Functions caught: `Error` is the error name, `Cause` its message or JSON. */
  error: { Error: string; Cause?: string };
}

/** Move the order `from` → `to` (an auto or timeout transition) if it is still in `from` at `entry`. */
export interface MovePayload {
  kind: 'move';
  tenantId: string;
  orderId: string;
  from: string;
  to: string;
  entry: number;
  cause: 'auto' | 'timeout';
  /** For a timeout: the stage's timeout, checked against when the order entered the stage. */
  dueAfterSeconds?: number;
}

/** Read the order as it is now (after a conflict) and return its state. */
export interface ReloadPayload {
  kind: 'reload';
  tenantId: string;
  orderId: string;
}

export type TaskPayload = RunActionsPayload | ActionFailedPayload | MovePayload | ReloadPayload;
