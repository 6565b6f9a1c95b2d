/**
 * The API's order operations as pure planners: from one read of the order (its record and
 * pinned workflow), the request and the time, the change to write and what it owes the order's
 * execution once it commits. OrderService runs them through the change runner.
 */
import type { Principal } from '../auth/api-keys.js';
import { buildEvent } from '../events/catalog.js';
import { problems } from '../problem.js';
import { rechecksOnChange } from '../workflow/compile.js';
import type { Workflow } from '../workflow/schema.js';
import type { PlanInput, PlannedChange } from './change-runner.js';
import { parkedWait } from './holds.js';
import { applyPatch, applyProgress, assertEditable, type LineRef } from './order.js';
import type { OrderRecord, PendingSignal } from './order-store.js';
import type { Actor, ItemProgressRequest, Order, PatchOrderRequest, TransitionRequest } from './schema.js';
import { executionState, planManualTransition, stageOf } from './transitions.js';
import { workflowRefOf } from './workflow-source.js';

export function actorOf(principal: Principal): Actor {
  return { type: 'key', keyId: principal.keyId, role: principal.role };
}

interface ClientRequest {
  principal: Principal;
  /** The version the client's If-Match named, if any. */
  ifMatchVersion: number | undefined;
}

/**
 * The re-check owed to an execution waiting in a stage whose auto transitions may now hold:
 * its stored token, with the changed order's state at the same stage and entry. None when the
 * stage has no such transitions (it is never woken) or no wait is parked there right now (a
 * wait that parks later sees the change itself: it parks only at the version it evaluated).
 */
export function recheckSignal(
  tenantId: string,
  record: OrderRecord,
  workflow: Workflow,
  changed: Order,
): PendingSignal | undefined {
  if (!record.taskToken || record.taskTokenStage !== record.order.stage) return undefined;
  if (!rechecksOnChange(stageOf(workflow, record.order.stage))) return undefined;
  return { token: record.taskToken, output: executionState(tenantId, changed, record.entry) };
}

/** A merge-patch of the order's details, in an editable stage. */
export function planPatch(
  input: PlanInput & ClientRequest & { patch: PatchOrderRequest },
): PlannedChange | undefined {
  const { record, pinned, principal, now } = input;
  const { order } = record;
  const stage = pinned.workflow.stages.find((candidate) => candidate.id === order.stage);
  assertEditable(order, stage?.editable === true, input.ifMatchVersion);
  const { order: next, changed } = applyPatch(order, input.patch, now);
  if (changed.length === 0) return undefined;
  const signal = recheckSignal(principal.tenantId, record, pinned.workflow, next);
  return {
    change: {
      order: next,
      events: [buildEvent('order.updated', actorOf(principal), { order: next, changed })],
      ...(signal ? { signal } : {}),
    },
  };
}

/** An item's or a service's progress, in any stage but a final one. */
export function planProgress(
  input: PlanInput & ClientRequest & { line: LineRef; request: ItemProgressRequest },
): PlannedChange | undefined {
  const { record, pinned, principal, line, request, now } = input;
  const { order } = record;
  if (input.ifMatchVersion !== undefined && input.ifMatchVersion !== order.version) {
    throw problems.preconditionFailed(
      `The order is at version ${order.version}, not ${input.ifMatchVersion}; fetch it again and retry.`,
    );
  }
  if (stageOf(pinned.workflow, order.stage).final) {
    throw problems.conflict(`The order is in the final stage "${order.stage}"; its lines cannot change.`, {
      stage: order.stage,
    });
  }
  const applied = applyProgress(order, line, request, now);
  if (!applied.changed) return undefined;
  const next = applied.order;
  const signal = recheckSignal(principal.tenantId, record, pinned.workflow, next);
  const data = {
    order: next,
    ...(line.kind === 'item' ? { sku: line.sku } : { code: line.code }),
    status: request.status,
    ...(applied.quantity !== undefined ? { quantity: applied.quantity } : {}),
  };
  return {
    change: {
      order: next,
      events: [buildEvent('order.item_progressed', actorOf(principal), data)],
      ...(signal ? { signal } : {}),
    },
  };
}

/**
 * A manual transition: the new stage and its events, the signal to the waiting execution, or
 * (when the execution stopped on a failed action and cannot be signalled) a new execution.
 */
export function planTransition(
  input: PlanInput & ClientRequest & { request: TransitionRequest; availableFiles?: number },
): PlannedChange {
  const { record, pinned, principal } = input;
  const plan = planManualTransition({
    record,
    workflow: pinned.workflow,
    request: input.request,
    principal,
    actor: actorOf(principal),
    ifMatchVersion: input.ifMatchVersion,
    now: input.now,
    ...(input.availableFiles !== undefined ? { availableFiles: input.availableFiles } : {}),
  });
  const signal =
    record.taskToken && parkedWait(record)?.stage === record.order.stage
      ? { token: record.taskToken, output: executionState(principal.tenantId, plan.order, record.entry + 1) }
      : undefined;
  const restart = record.halted ? record.attempt + 1 : undefined;
  return {
    change: {
      order: plan.order,
      events: plan.events,
      enterStage: true,
      ...(signal ? { signal } : {}),
      ...(restart !== undefined ? { attempt: restart } : {}),
    },
    ...(restart !== undefined ? { effects: { start: { entry: record.entry + 1, attempt: restart } } } : {}),
  };
}

/** Re-runs the current stage's failed actions in a new execution that skips those that succeeded. */
export function planRetry(input: PlanInput & { principal: Principal }): PlannedChange {
  const { record, principal, now } = input;
  if (!record.halted) {
    throw problems.conflict('Nothing to retry: no action of the current stage has stopped the order.', {
      actions: record.order.actions,
    });
  }
  const order: Order = {
    ...record.order,
    version: record.order.version + 1,
    actions: { state: 'running', failed: [] },
    updatedAt: now.toISOString(),
  };
  const retried = record.order.actions.failed.map((failure) => failure.id);
  const actionResults = Object.fromEntries(
    Object.entries(record.actionResults).filter(([, result]) => result.status === 'succeeded'),
  );
  const attempt = record.attempt + 1;
  return {
    change: {
      order,
      events: [buildEvent('order.actions_retried', actorOf(principal), { order, actions: retried })],
      actionResults,
      attempt,
      halted: false,
    },
    effects: { start: { entry: record.entry, attempt } },
  };
}

/** Moves the order to another version of its workflow at the same stage; a new execution takes over. */
export function planMigrate(
  input: PlanInput & {
    principal: Principal;
    target: { version: number; revision?: number; workflow: Workflow; retired?: boolean };
  },
): PlannedChange {
  const { record, pinned, principal, target, now } = input;
  const { order } = record;
  if (target.retired) {
    throw problems.conflict(
      `Workflow version ${target.version} was pruned: no order it would run remained, and none may move to it now.`,
    );
  }
  if (pinned.workflow.stages.find((stage) => stage.id === order.stage)?.final) {
    throw problems.conflict(`The order is in the final stage "${order.stage}"; it has nothing left to run.`);
  }
  // Version 0 is the built-in default's current revision: an order on an older one may move to it.
  if (target.version === order.workflow.version && target.revision === workflowRefOf(order).revision) {
    throw problems.conflict(`The order already runs on workflow version ${target.version}.`);
  }
  if (!target.workflow.stages.some((stage) => stage.id === order.stage)) {
    throw problems.conflict(
      `Workflow version ${target.version} has no stage "${order.stage}" to move the order into.`,
      { stage: order.stage },
    );
  }
  const next: Order = {
    ...order,
    version: order.version + 1,
    workflow: {
      version: target.version,
      ...(target.revision !== undefined ? { revision: target.revision } : {}),
    },
    updatedAt: now.toISOString(),
  };
  const attempt = record.attempt + 1;
  return {
    change: {
      order: next,
      events: [
        buildEvent('order.migrated', actorOf(principal), {
          order: next,
          fromVersion: order.workflow.version,
          toVersion: target.version,
        }),
      ],
      attempt,
      halted: false,
    },
    effects: {
      stop: {
        attempt: record.attempt,
        ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
        // The ARN the execution recorded at its last wait, if that execution is this attempt's.
        ...(record.executionArn ? { executionArn: record.executionArn } : {}),
        ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
      },
      start: { entry: record.entry, attempt },
    },
  };
}
