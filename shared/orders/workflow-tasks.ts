import { buildEvent, type NewEvent } from '../events/catalog.js';
import type { Workflow } from '../workflow/schema.js';
import {
  type ActionFailedPayload,
  type ExecutionState,
  type MovePayload,
  NOT_YET_DUE_ERROR,
  ON_HOLD_ERROR,
  type RunActionsPayload,
  STAGE_CONFLICT_ERROR,
  type TaskAction,
  type TaskPayload,
} from '../workflow/task-payloads.js';
import type { ActionOutcome, ActionRunner } from './actions.js';
import { type ConflictPolicy, OrderChangeRunner, type PlanInput } from './change-runner.js';
import { activeHolds } from './holds.js';
import type { ActionResult, OrderChange, OrderRecord, OrderStore } from './order-store.js';
import type { Actor, Order } from './schema.js';
import { enterStage, executionState, stageOf } from './transitions.js';
import type { WorkflowSource } from './workflow-source.js';

const SYSTEM: Actor = { type: 'system' };
/** Writes by the execution retry this often when a client write got in between read and write. */
const taskConflicts: ConflictPolicy = { attempts: 5, exhausted: (conflict) => conflict };
const MAX_ERROR_LENGTH = 1000;

/** The order is no longer where the execution thinks; the machine reloads it and routes again. */
export class StageConflictError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = STAGE_CONFLICT_ERROR;
  }
}

/** A stage timeout longer than one wait fired early: the machine waits on. */
export class NotYetDueError extends Error {
  constructor(due: Date) {
    super(`The stage timeout is due at ${due.toISOString()}.`);
    this.name = NOT_YET_DUE_ERROR;
  }
}

/** How many automatic moves in a row an order may make with nothing from outside in between. */
export const MAX_CONSECUTIVE_AUTO_MOVES = 50;
/** History events read per page while counting them: one page covers most orders. */
const AUTO_MOVE_PAGE = 25;

/** Not caught by the state machine: the execution ends, the order stays halted in its stage. */
export class AutoMovesStoppedError extends Error {
  constructor(orderId: string, moves: number) {
    super(`Order ${orderId} made ${moves} automatic moves in a row and was stopped.`);
    this.name = 'Orderflow.AutoMovesStopped';
  }
}

/** An auto or timeout move found the order on hold: the machine waits for the release. */
export class OnHoldError extends Error {
  constructor(orderId: string) {
    super(`Order ${orderId} is on hold.`);
    this.name = ON_HOLD_ERROR;
  }
}

export class OrderGoneError extends Error {
  constructor(orderId: string) {
    super(`Order ${orderId} does not exist.`);
    this.name = 'Orderflow.OrderGone';
  }
}

function actionsState(
  workflow: Workflow,
  stageId: string,
  entry: number,
  results: Record<string, ActionResult>,
): Order['actions'] {
  const actions = stageOf(workflow, stageId).onEnter.filter((action) => action.type !== 'wait');
  const current = actions.map((action) => ({ id: action.id, result: results[action.id] }));
  const failed = current
    .filter(({ result }) => result?.entry === entry && result.status === 'failed')
    .map(({ id, result }) => ({ id, error: result?.error ?? 'failed' }));
  const done = current.every(({ result }) => result?.entry === entry);
  return { state: failed.length ? 'failed' : done ? 'succeeded' : 'running', failed };
}

/**
 * What the Task states of an order's compiled state machine do (see task-payloads.ts). Every
 * write is conditional on the order being at the stage entry the execution believes, so a
 * retried or outdated task changes nothing twice.
 */
export class WorkflowTasks {
  private readonly changes: OrderChangeRunner;

  constructor(
    private readonly store: OrderStore,
    workflows: WorkflowSource<Workflow>,
    private readonly actions: ActionRunner,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.changes = new OrderChangeRunner(store, workflows, {
      clock,
      missing: (orderId) => new OrderGoneError(orderId),
    });
  }

  handle(payload: TaskPayload): Promise<ExecutionState> {
    switch (payload.kind) {
      case 'runActions':
        return this.runActions(payload);
      case 'actionFailed':
        return this.actionFailed(payload);
      case 'move':
        return this.move(payload);
      case 'reload':
        return this.reload(payload.tenantId, payload.orderId);
    }
  }

  /**
   * Writes the change built from a read of the order, if the order is still at (stage, entry)
   * the execution believes (the first read may be the one the caller just made); a concurrent
   * client write makes it read and build again.
   */
  private async change(
    tenantId: string,
    orderId: string,
    at: { stage: string; entry: number },
    build: (record: OrderRecord, workflow: Workflow) => OrderChange,
    known?: Omit<PlanInput, 'now'>,
  ): Promise<{ record: OrderRecord; change: OrderChange }> {
    const { record, change } = await this.changes.run(
      tenantId,
      orderId,
      ({ record, pinned }) => {
        if (record.order.stage !== at.stage || record.entry !== at.entry) {
          throw new StageConflictError(
            `Order ${orderId} is at ${record.order.stage} #${record.entry}, not ${at.stage} #${at.entry}.`,
          );
        }
        return { change: build(record, pinned.workflow) };
      },
      taskConflicts,
      known,
    );
    return { record, change: change as OrderChange };
  }

  private async runActions(payload: RunActionsPayload): Promise<ExecutionState> {
    const { tenantId, orderId, stage, entry } = payload;
    // Each action's write is conditional on the order as last read or written here, so a
    // client's change in between makes that write read the order again.
    const read = await this.changes.read(tenantId, orderId);
    let { record } = read;
    for (const action of payload.actions) {
      if (record.order.stage !== stage || record.entry !== entry) {
        throw new StageConflictError(`Order ${orderId} left ${stage} #${entry}.`);
      }
      // Done already: succeeded, or failed and recorded (onError continue) in an earlier run.
      if (record.actionResults[action.id]?.entry === entry) continue;
      const outcome = await this.actions.run({
        tenantId,
        order: record.order,
        stage,
        entry,
        action,
        now: this.clock(),
      });
      const written = await this.change(
        tenantId,
        orderId,
        { stage, entry },
        (current, workflow) => this.successChange(current, workflow, action, outcome, entry),
        { record, pinned: read.pinned },
      ).catch(async (error: unknown) => {
        // The order left the stage entry while the action ran: nothing records its effect.
        if (error instanceof StageConflictError || error instanceof OrderGoneError) await outcome.undo?.();
        throw error;
      });
      record = {
        ...written.record,
        order: written.change.order,
        lastSequence: written.record.lastSequence + written.change.events.length,
        actionResults: written.change.actionResults ?? {},
      };
    }
    return executionState(tenantId, record.order, entry);
  }

  private successChange(
    record: OrderRecord,
    workflow: Workflow,
    action: TaskAction,
    outcome: ActionOutcome,
    entry: number,
  ): OrderChange {
    const actionResults: Record<string, ActionResult> = {
      ...record.actionResults,
      [action.id]: { entry, status: 'succeeded' },
    };
    const changed = outcome.apply ? outcome.apply(record.order) : record.order;
    const order: Order = {
      ...changed,
      version: record.order.version + 1,
      actions: actionsState(workflow, record.order.stage, entry, actionResults),
      updatedAt: this.clock().toISOString(),
    };
    const events: NewEvent[] = [
      buildEvent('order.action_succeeded', SYSTEM, {
        order,
        stage: order.stage,
        action: { id: action.id, type: action.type },
        ...(outcome.result ? { result: outcome.result } : {}),
      }),
      ...(outcome.events ?? []),
    ];
    return { order, events, actionResults };
  }

  private async actionFailed(payload: ActionFailedPayload): Promise<ExecutionState> {
    const { tenantId, orderId, stage, entry } = payload;
    const error = [payload.error.Error, payload.error.Cause]
      .filter(Boolean)
      .join(': ')
      .slice(0, MAX_ERROR_LENGTH);
    const { change } = await this.change(tenantId, orderId, { stage, entry }, (record, workflow) => {
      const failedId =
        payload.actionIds.find((id) => record.actionResults[id]?.entry !== entry) ??
        payload.actionIds[0] ??
        '';
      const failedAction = stageOf(workflow, stage).onEnter.find((action) => action.id === failedId);
      const actionResults: Record<string, ActionResult> = {
        ...record.actionResults,
        [failedId]: { entry, status: 'failed', error },
      };
      const failedOrder: Order = {
        ...record.order,
        version: record.order.version + 1,
        actions: actionsState(workflow, stage, entry, actionResults),
        updatedAt: this.clock().toISOString(),
      };
      const failure = buildEvent('order.action_failed', SYSTEM, {
        order: failedOrder,
        stage,
        action: { id: failedId, type: failedAction?.type ?? 'unknown' },
        error,
      });
      if (typeof payload.onError === 'string') {
        return { order: failedOrder, events: [failure], actionResults, halted: payload.onError === 'fail' };
      }
      const moved = enterStage({
        order: failedOrder,
        workflow,
        to: payload.onError.transitionTo,
        cause: 'action_error',
        actor: SYSTEM,
        now: this.clock(),
      });
      // One write: the failure and the move it causes commit together or not at all.
      return {
        order: { ...moved.order, version: record.order.version + 1 },
        events: [failure, ...moved.events],
        enterStage: true,
      };
    });
    const entryAfter = change.enterStage ? entry + 1 : entry;
    return executionState(tenantId, change.order, entryAfter);
  }

  private async move(payload: MovePayload): Promise<ExecutionState> {
    const { tenantId, orderId, from, to, entry, cause } = payload;
    if (cause === 'auto') await this.stopEndlessAutoMoves(payload);
    const { change } = await this.change(tenantId, orderId, { stage: from, entry }, (record, workflow) => {
      if (payload.dueAfterSeconds !== undefined) {
        const due = Date.parse(record.stageEnteredAt) + payload.dueAfterSeconds * 1000;
        if (due > this.clock().getTime()) throw new NotYetDueError(new Date(due));
      }
      // Decided on the order as this write expects it: a hold that commits first fails the write.
      if (activeHolds(record.order).length > 0) throw new OnHoldError(record.order.id);
      return {
        ...enterStage({ order: record.order, workflow, to, cause, actor: SYSTEM, now: this.clock() }),
        enterStage: true,
      };
    });
    return executionState(tenantId, change.order, entry + 1);
  }

  /**
   * Auto transitions whose conditions keep holding could move an order round a loop forever.
   * After `MAX_CONSECUTIVE_AUTO_MOVES` automatic moves with nothing from outside in between
   * (a request, a timeout), the order stays where it is, halted like an order whose action
   * failed, with an event saying why; the execution ends. A transition or a retry resumes it.
   */
  private async stopEndlessAutoMoves(payload: MovePayload): Promise<void> {
    const { tenantId, orderId, from, entry } = payload;
    const { record } = await this.changes.read(tenantId, orderId);
    if (record.order.stage !== from || record.entry !== entry) return;
    const moves = await this.consecutiveAutoMoves(tenantId, orderId, record.lastSequence);
    if (moves < MAX_CONSECUTIVE_AUTO_MOVES) return;
    if (!record.halted) {
      await this.change(tenantId, orderId, { stage: from, entry }, (current) => {
        const order = {
          ...current.order,
          version: current.order.version + 1,
          updatedAt: this.clock().toISOString(),
        };
        const stopped = buildEvent('order.auto_moves_stopped', SYSTEM, { order, stage: from, moves });
        return { order, events: [stopped], halted: true };
      });
    }
    throw new AutoMovesStoppedError(orderId, moves);
  }

  /** Automatic moves since the last stage change that was not one, read newest first. */
  private async consecutiveAutoMoves(
    tenantId: string,
    orderId: string,
    lastSequence: number,
  ): Promise<number> {
    let moves = 0;
    for (let upTo = lastSequence; upTo > 0; upTo -= AUTO_MOVE_PAGE) {
      const after = Math.max(0, upTo - AUTO_MOVE_PAGE);
      const { events } = await this.store.listEvents(tenantId, orderId, upTo - after, after);
      for (const event of events.reverse()) {
        if (event.type === 'order.auto_moves_stopped') return moves;
        if (event.actor.type !== 'system') return moves;
        if (event.type !== 'order.stage_changed') continue;
        if (event.data.cause !== 'auto') return moves;
        if (++moves >= MAX_CONSECUTIVE_AUTO_MOVES) return moves;
      }
    }
    return moves;
  }

  private async reload(tenantId: string, orderId: string): Promise<ExecutionState> {
    const { record } = await this.changes.read(tenantId, orderId);
    return executionState(tenantId, record.order, record.entry);
  }
}
