/**
 * Returns (RMA) live on the order item and change only by the order's own conditional
 * write, with their events in the same transaction. They change no stage, so no state
 * machine has anything to decide: they work the same in final stages, whose execution has
 * ended, and cost no state transitions. A status moves forward only (requested → received →
 * refunded, or requested → rejected); two requests racing on one return are both
 * planned on the version they read, one commits, the other is re-planned and refused.
 */

import { buildEvent, type NewEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import { type ProblemDetail, ProblemError, problems } from '../problem.js';
import type { Actor, Order, OrderReturn, RefundReturnRequest, RequestReturnRequest } from './schema.js';

/** What each status may move to. */
const NEXT_STATUSES: Record<OrderReturn['status'], readonly OrderReturn['status'][]> = {
  requested: ['received', 'rejected'],
  received: ['refunded'],
  refunded: [],
  rejected: [],
};

/** At most this many returns per order, so the order item stays well within its size limit. */
export const MAX_RETURNS_PER_ORDER = 100;

export interface PlannedReturn {
  order: Order;
  events: NewEvent[];
  returned: OrderReturn;
  /** Units to add back to inventory in the same transaction (a received return that restocks). */
  restock?: { sku: string; quantity: number }[];
}

/** Units shipped per SKU, from the shipments themselves (orders stored before `shippedQuantity` have only those). */
function shippedBySku(order: Order): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const shipment of order.shipments)
    for (const item of shipment.items) shipped.set(item.sku, (shipped.get(item.sku) ?? 0) + item.quantity);
  return shipped;
}

/** Units already on a return that was not rejected, per SKU. */
function returnedBySku(order: Order): Map<string, number> {
  const returned = new Map<string, number>();
  for (const existing of order.returns ?? []) {
    if (existing.status === 'rejected') continue;
    for (const item of existing.items) returned.set(item.sku, (returned.get(item.sku) ?? 0) + item.quantity);
  }
  return returned;
}

function changed(order: Order, returns: OrderReturn[], now: Date): Order {
  return { ...order, returns, version: order.version + 1, updatedAt: now.toISOString() };
}

export function planReturnRequest(input: {
  order: Order;
  request: RequestReturnRequest;
  actor: Actor;
  now: Date;
}): PlannedReturn {
  const { order, request, actor, now } = input;
  const shipped = shippedBySku(order);
  const returned = returnedBySku(order);
  const wanted = new Map<string, number>();
  for (const item of request.items) wanted.set(item.sku, (wanted.get(item.sku) ?? 0) + item.quantity);
  const found: ProblemDetail[] = request.items.flatMap((item, index) => {
    const left = (shipped.get(item.sku) ?? 0) - (returned.get(item.sku) ?? 0);
    if (!order.items.some((line) => line.sku === item.sku))
      return [{ path: `/items/${index}/sku`, message: 'Not an item of the order.' }];
    if ((wanted.get(item.sku) ?? 0) > left) {
      return [
        {
          path: `/items/${index}/quantity`,
          message: `Only ${Math.max(0, left)} of ${item.sku} shipped and not yet returned.`,
        },
      ];
    }
    return [];
  });
  if (found.length) {
    throw new ProblemError(422, 'return', 'The return does not match what was shipped.', { errors: found });
  }
  const existing = order.returns ?? [];
  if (existing.length >= MAX_RETURNS_PER_ORDER) {
    throw problems.conflict(`An order takes at most ${MAX_RETURNS_PER_ORDER} returns.`);
  }
  const priceOf = new Map(order.items.map((item) => [item.sku, item.unitPrice ?? 0]));
  const returnedNow: OrderReturn = {
    id: newId('ret', now.getTime()),
    status: 'requested',
    items: request.items,
    ...(request.note !== undefined ? { note: request.note } : {}),
    value: request.items.reduce((sum, item) => sum + item.quantity * (priceOf.get(item.sku) ?? 0), 0),
    createdAt: now.toISOString(),
  };
  const next = changed(order, [...existing, returnedNow], now);
  return {
    order: next,
    events: [buildEvent('return.requested', actor, { order: next, return: returnedNow })],
    returned: returnedNow,
  };
}

export type ReturnStep =
  | { to: 'received'; restock: boolean }
  | { to: 'refunded'; refund: RefundReturnRequest }
  | { to: 'rejected'; note?: string };

/** Moves one return on, or answers 404 (unknown), 409 (not from its status) or 422 (refund too large). */
export function planReturnStep(input: {
  order: Order;
  returnId: string;
  step: ReturnStep;
  actor: Actor;
  now: Date;
}): PlannedReturn {
  const { order, returnId, step, actor, now } = input;
  const existing = order.returns ?? [];
  const index = existing.findIndex((candidate) => candidate.id === returnId);
  const current = existing[index];
  if (!current) throw problems.notFound(`Return ${returnId} of order ${order.id}`);
  if (!NEXT_STATUSES[current.status].includes(step.to)) {
    throw problems.conflict(`The return is ${current.status}; it cannot become ${step.to}.`, {
      returnStatus: current.status,
      allowed: NEXT_STATUSES[current.status],
    });
  }
  const at = now.toISOString();
  let moved: OrderReturn;
  if (step.to === 'received') {
    moved = { ...current, status: 'received', receivedAt: at, restocked: step.restock };
  } else if (step.to === 'refunded') {
    if (step.refund.amount > current.value) {
      throw new ProblemError(422, 'refund', 'The refund is larger than the return.', {
        errors: [{ path: '/amount', message: `At most ${current.value}, the value of the returned lines.` }],
      });
    }
    const refund = {
      amount: step.refund.amount,
      ...(step.refund.note ? { note: step.refund.note } : {}),
      refundedAt: at,
    };
    moved = { ...current, status: 'refunded', refund };
  } else {
    moved = {
      ...current,
      status: 'rejected',
      rejectedAt: at,
      ...(step.note ? { rejectionNote: step.note } : {}),
    };
  }
  const next = changed(order, existing.with(index, moved), now);
  return {
    order: next,
    events: [buildEvent(`return.${step.to}`, actor, { order: next, return: moved })],
    returned: moved,
    ...(step.to === 'received' && step.restock
      ? { restock: current.items.map(({ sku, quantity }) => ({ sku, quantity })) }
      : {}),
  };
}
