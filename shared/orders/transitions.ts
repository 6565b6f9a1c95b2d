import type { Principal } from '../auth/api-keys.js';
import { buildEvent, customEvent, type NewEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import { ProblemError, problems } from '../problem.js';
import { conditionView, evaluateCondition } from '../workflow/conditions.js';
import type { Stage, Workflow } from '../workflow/schema.js';
import type { ExecutionState } from '../workflow/task-payloads.js';
import { assertNotHeld } from './holds.js';
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

/** What is left to ship of each SKU: ordered less what earlier shipments took. */
function unshipped(order: Order): Map<string, number> {
  const left = new Map(order.items.map((item) => [item.sku, item.quantity]));
  for (const shipment of order.shipments) {
    for (const item of shipment.items) left.set(item.sku, (left.get(item.sku) ?? 0) - item.quantity);
  }
  return left;
}

/**
 * A shipment record for the request; omitted items mean everything not shipped yet. Lines
 * are summed per SKU against what is left, so one SKU on two lines cannot ship twice what
 * remains; every line that does not fit is named (`at` is the JSON pointer of the items).
 */
function shipmentOf(order: Order, request: ShipmentRequest, now: Date, at: string): Shipment {
  const left = unshipped(order);
  const requested = new Map<string, number>();
  for (const item of request.items ?? [])
    requested.set(item.sku, (requested.get(item.sku) ?? 0) + item.quantity);
  const problemsFound = (request.items ?? []).flatMap((item, index) => {
    const remaining = left.get(item.sku);
    if (remaining === undefined)
      return [{ path: `${at}/${index}/sku`, message: 'Not an item of the order.' }];
    const wanted = requested.get(item.sku) ?? 0;
    if (wanted > remaining) {
      const lines = wanted === item.quantity ? '' : ` (its lines add up to ${wanted})`;
      return [
        {
          path: `${at}/${index}/quantity`,
          message: `Only ${Math.max(0, remaining)} of ${item.sku} left to ship${lines}.`,
        },
      ];
    }
    return [];
  });
  const items = request.items
    ? [...requested].map(([sku, quantity]) => ({ sku, quantity }))
    : [...left].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity }));
  if (!request.items && items.length === 0)
    problemsFound.push({ path: at, message: 'Nothing is left to ship.' });
  if (problemsFound.length) {
    throw new ProblemError(422, 'shipment', 'The shipment does not match the order.', {
      errors: problemsFound,
    });
  }
  return {
    id: newId('shp', now.getTime()),
    ...(request.carrier ? { carrier: request.carrier } : {}),
    ...(request.trackingNumber ? { trackingNumber: request.trackingNumber } : {}),
    items,
    shippedAt: now.toISOString(),
  };
}

/** The order with the shipment recorded and each item's `shippedQuantity` moved on with it. */
function withShipment(order: Order, shipment: Shipment): Order {
  const shipped = new Map(shipment.items.map((item) => [item.sku, item.quantity]));
  return {
    ...order,
    shipments: [...order.shipments, shipment],
    items: order.items.map((item) =>
      shipped.has(item.sku)
        ? { ...item, shippedQuantity: (item.shippedQuantity ?? 0) + (shipped.get(item.sku) ?? 0) }
        : item,
    ),
  };
}

/**
 * Plans `POST /orders/{id}/shipments`: only in a stage with `shipping: true`, else 409; the
 * lines must fit what is left (422 naming every line that does not).
 */
export function planShipment(input: {
  record: OrderRecord;
  workflow: Workflow;
  request: ShipmentRequest;
  actor: Actor;
  now: Date;
}): { order: Order; events: NewEvent[]; shipment: Shipment } {
  const { record, workflow, request, actor, now } = input;
  const { order } = record;
  const stage = stageOf(workflow, order.stage);
  if (!stage.shipping || stage.final) {
    throw problems.conflict(`The stage "${order.stage}" takes no shipments.`, {
      stage: order.stage,
      shippingStages: workflow.stages
        .filter((candidate) => candidate.shipping)
        .map((candidate) => candidate.id),
    });
  }
  const shipment = shipmentOf(order, request, now, '/items');
  const next: Order = {
    ...withShipment(order, shipment),
    version: order.version + 1,
    updatedAt: now.toISOString(),
  };
  return {
    order: next,
    events: [buildEvent('order.shipment_created', actor, { order: next, shipment })],
    shipment,
  };
}

/** Whether a transition into `target` may carry a shipment: the target ships, or the move needs one. */
function takesShipment(target: Stage, requires: readonly string[]): boolean {
  return target.shipping || target.emits.includes('order.shipped') || requires.includes('shipment');
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
    ...(shipment ? withShipment(order, shipment) : order),
    stage: to,
    version: order.version + 1,
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
        ? // An automatic move after the last parcel announces that parcel.
          buildEvent('order.shipped', actor, {
            order: next,
            shipment: shipment ?? next.shipments.at(-1) ?? null,
          })
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
  assertNotHeld(order, request.to, transition.overridesHold);
  const unmet = unmetRequirements(order, transition.requires ?? [], request.shipment, input.availableFiles);
  if (request.shipment && !takesShipment(stageOf(workflow, request.to), transition.requires ?? [])) {
    unmet.push({ path: '/shipment', message: `The stage "${request.to}" takes no shipment.` });
  }
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
    ...(request.shipment ? { shipment: shipmentOf(order, request.shipment, now, '/shipment/items') } : {}),
  });
}
