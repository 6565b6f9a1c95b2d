import type { Principal } from '../auth/api-keys.js';
import { buildEvent, customEvent, type NewEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import { ProblemError, problems } from '../problem.js';
import { conditionView, evaluateCondition } from '../workflow/conditions.js';
import type { Stage, Workflow } from '../workflow/schema.js';
import type { ExecutionState } from '../workflow/task-payloads.js';
import type { OrderRecord } from './order-store.js';
import { unmetRequirements } from './requirements.js';
import type { Actor, Order, ShipmentRequest, TransitionRequest } from './schema.js';

export type StageChangeCause = 'api' | 'auto' | 'timeout' | 'action_error';

type Shipment = Order['shipments'][number];

export function stageOf(workflow: Workflow, stageId: string): Stage {
  const stage = workflow.stages.find((candidate) => candidate.id === stageId);
  if (!stage) throw new Error(`Stage "${stageId}" is not in workflow "${workflow.name}".`);
  return stage;
}

/** The state the order's execution carries, for the order as it is after a change. */
export function executionState(tenantId: string, order: Order, entry: number): ExecutionState {
  return {
    tenantId,
    orderId: order.id,
    stage: order.stage,
    entry,
    order: conditionView(order),
    version: order.version,
  };
}

/** What is left to ship of each SKU. */
function unshipped(order: Order): Map<string, number> {
  const left = new Map(order.items.map((item) => [item.sku, item.quantity]));
  for (const shipment of order.shipments) {
    for (const item of shipment.items) left.set(item.sku, (left.get(item.sku) ?? 0) - item.quantity);
  }
  return left;
}

/** A shipment record for the request; omitted items mean everything not shipped yet. */
function shipmentOf(order: Order, request: ShipmentRequest, now: Date): Shipment {
  const left = unshipped(order);
  const problemsFound = (request.items ?? []).flatMap((item, index) => {
    const remaining = left.get(item.sku);
    if (remaining === undefined)
      return [{ path: `/shipment/items/${index}/sku`, message: 'Not an item of the order.' }];
    if (item.quantity > remaining) {
      return [{ path: `/shipment/items/${index}/quantity`, message: `Only ${remaining} left to ship.` }];
    }
    return [];
  });
  if (problemsFound.length) {
    throw new ProblemError(422, 'shipment', 'The shipment does not match the order.', {
      errors: problemsFound,
    });
  }
  const items =
    request.items ??
    [...left].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity }));
  return {
    id: newId('shp', now.getTime()),
    ...(request.carrier ? { carrier: request.carrier } : {}),
    ...(request.trackingNumber ? { trackingNumber: request.trackingNumber } : {}),
    items,
    shippedAt: now.toISOString(),
  };
}

/**
 * The order as it enters `to`, with the events that records: the stage change, then what
 * the stage emits (`order.shipped` carries the shipment).
 */
export function enterStage(input: {
  order: Order;
  workflow: Workflow;
  to: string;
  cause: StageChangeCause;
  actor: Actor;
  now: Date;
  note?: string;
  shipment?: Shipment;
}): { order: Order; events: NewEvent[] } {
  const { order, workflow, to, cause, actor, now, note, shipment } = input;
  const stage = stageOf(workflow, to);
  const next: Order = {
    ...order,
    stage: to,
    version: order.version + 1,
    shipments: shipment ? [...order.shipments, shipment] : order.shipments,
    actions: { state: stage.onEnter.length > 0 ? 'running' : 'none', failed: [] },
    updatedAt: now.toISOString(),
  };
  const events: NewEvent[] = [
    buildEvent('order.stage_changed', actor, {
      order: next,
      from: order.stage,
      to,
      cause,
      ...(note ? { note } : {}),
    }),
    ...stage.emits.map((type) =>
      type === 'order.shipped'
        ? buildEvent('order.shipped', actor, { order: next, shipment: shipment ?? null })
        : customEvent(type, actor, { order: next, stage: to }),
    ),
  ];
  return { order: next, events };
}

/**
 * Checks a manual transition request against the order's workflow and plans it: 409 when
 * `to` is not a manual transition of the current stage (listing those that are), 403 for
 * a role the transition does not allow, 422 listing every unmet requirement and a failing
 * `when`, 412 for a stale If-Match.
 */
export function planManualTransition(input: {
  record: OrderRecord;
  workflow: Workflow;
  request: TransitionRequest;
  principal: Principal;
  actor: Actor;
  ifMatchVersion: number | undefined;
  now: Date;
  /** The order's uploaded files available in storage (the `attachments` requirement counts them). */
  availableFiles?: number;
}): { order: Order; events: NewEvent[] } {
  const { record, workflow, request, principal, now } = input;
  const { order } = record;
  if (input.ifMatchVersion !== undefined && input.ifMatchVersion !== order.version) {
    throw problems.preconditionFailed(
      `The order is at version ${order.version}, not ${input.ifMatchVersion}.`,
    );
  }
  const stage = stageOf(workflow, order.stage);
  const manual = stage.transitions.filter((transition) => !transition.auto);
  const transition = manual.find((candidate) => candidate.to === request.to);
  if (!transition) {
    throw problems.conflict(`The order cannot move from "${order.stage}" to "${request.to}".`, {
      stage: order.stage,
      allowed: manual.map((candidate) => candidate.to),
    });
  }
  if (transition.roles && !transition.roles.includes(principal.role)) {
    throw problems.forbidden(
      `Moving to "${request.to}" needs one of the roles ${transition.roles.join(', ')}; this key has "${principal.role}".`,
    );
  }
  const unmet = unmetRequirements(order, transition.requires ?? [], request.shipment, input.availableFiles);
  if (transition.when && !evaluateCondition(transition.when, conditionView(order))) {
    unmet.push({ path: '/when', message: "The transition's condition does not hold for this order." });
  }
  if (unmet.length) {
    throw new ProblemError(422, 'guard', `The order does not meet what moving to "${request.to}" requires.`, {
      errors: unmet,
    });
  }
  return enterStage({
    order,
    workflow,
    to: request.to,
    cause: 'api',
    actor: input.actor,
    now,
    ...(request.note ? { note: request.note } : {}),
    ...(request.shipment ? { shipment: shipmentOf(order, request.shipment, now) } : {}),
  });
}
