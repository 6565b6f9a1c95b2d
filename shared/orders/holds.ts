/**
 * Holds pause an order without changing its stage (api.md, Holds). Placing and releasing
 * are planned here as pure functions of the order as read; the order service writes the
 * plan under the same version condition as every change, so a transition planned before a
 * hold committed fails its write and is planned again, now refused.
 */

import { buildEvent, type NewEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import { problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import { HELD_WAIT_SUFFIX } from '../workflow/task-payloads.js';
import type { OrderRecord, PendingSignal } from './order-store.js';
import type { Actor, Hold, Order, PlaceHoldRequest } from './schema.js';
import { executionState, stageOf } from './transitions.js';

export function activeHolds(order: Order): Hold[] {
  return order.holds ?? [];
}

/** 409 naming the holds, unless the transition may be taken while the order is held. */
export function assertNotHeld(order: Order, to: string, overridesHold: boolean): void {
  const holds = activeHolds(order);
  if (holds.length === 0 || overridesHold) return;
  throw problems.conflict(
    `The order is on hold (${holds.map((hold) => `${hold.id}: ${hold.reason}`).join(', ')}); release it before moving to "${to}".`,
    { holds },
  );
}

/** The stage a parked wait belongs to, and whether it is the wait for a hold's release. */
export function parkedWait(record: OrderRecord): { stage: string; held: boolean } | undefined {
  const { taskToken, taskTokenStage } = record;
  if (!taskToken || !taskTokenStage) return undefined;
  if (taskTokenStage.endsWith(HELD_WAIT_SUFFIX)) {
    return { stage: taskTokenStage.slice(0, -HELD_WAIT_SUFFIX.length), held: true };
  }
  return { stage: taskTokenStage, held: false };
}

export function planPlaceHold(input: {
  record: OrderRecord;
  workflow: Workflow;
  request: PlaceHoldRequest;
  actor: Actor;
  now: Date;
}): { order: Order; events: NewEvent[]; hold: Hold } {
  const { record, workflow, request, actor, now } = input;
  const { order } = record;
  if (stageOf(workflow, order.stage).final) {
    throw problems.conflict(`The order is in the final stage "${order.stage}"; it cannot be held.`, {
      stage: order.stage,
    });
  }
  const hold: Hold = {
    id: newId('hold', now.getTime()),
    reason: request.reason,
    ...(request.note !== undefined ? { note: request.note } : {}),
    placedAt: now.toISOString(),
    placedBy: actor,
  };
  const next: Order = {
    ...order,
    holds: [...activeHolds(order), hold],
    version: order.version + 1,
    updatedAt: now.toISOString(),
  };
  return { order: next, events: [buildEvent('order.hold_placed', actor, { order: next, hold })], hold };
}

/**
 * Releases one hold. Releasing the last one owes the execution a signal when it parked for
 * the release (a timeout or auto move found the order held), so the move is tried again.
 * A wait parked for a manual transition is left to the re-check every change of a waiting
 * order gets (`recheck`), which decides with the released order.
 */
export function planReleaseHold(input: {
  tenantId: string;
  record: OrderRecord;
  holdId: string;
  actor: Actor;
  now: Date;
  recheck: (order: Order) => PendingSignal | undefined;
}): { order: Order; events: NewEvent[]; signal?: PendingSignal } {
  const { tenantId, record, holdId, actor, now } = input;
  const { order } = record;
  const hold = activeHolds(order).find((candidate) => candidate.id === holdId);
  if (!hold) throw problems.notFound(`Hold ${holdId} of order ${order.id}`);
  const holds = activeHolds(order).filter((candidate) => candidate.id !== holdId);
  const next: Order = { ...order, holds, version: order.version + 1, updatedAt: now.toISOString() };
  const events: NewEvent[] = [
    buildEvent('order.hold_released', actor, {
      order: next,
      hold: { ...hold, releasedAt: now.toISOString() },
    }),
  ];
  if (holds.length > 0) return { order: next, events };
  const parked = parkedWait(record);
  const signal =
    parked?.held && parked.stage === order.stage && record.taskToken
      ? { token: record.taskToken, output: executionState(tenantId, next, record.entry) }
      : input.recheck(next);
  return { order: next, events, ...(signal ? { signal } : {}) };
}
