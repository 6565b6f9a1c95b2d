/**
 * Proposing, applying and rejecting a change as pure planners for the order change runner:
 * from one read of the order (and, for the preview, of its reservations and stock), the order
 * change to write with its companion writes.
 */
import type { Reservation } from '../actions/inventory-store.js';
import { groupBySupplier } from '../actions/purchase-orders.js';
import type { Principal } from '../auth/api-keys.js';
import { buildEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import type { PlanInput, PlannedChange } from '../orders/change-runner.js';
import type { CompanionWrite, IdempotencyCompletion, OrderRecord } from '../orders/order-store.js';
import { actorOf, recheckSignal } from '../orders/plans.js';
import type { Order } from '../orders/schema.js';
import { stageOf } from '../orders/transitions.js';
import { ProblemError, problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import { type ChangePlan, planChange } from './preview.js';
import type { ChangePatch, ProposeChangeRequest, ProposedChange } from './schema.js';

/** What the store said about stock, read just before planning. */
export interface StockRead {
  reservations: readonly Reservation[];
  /** Per SKU of a line that grows: units available and the inventory record's supplier. */
  levels: ReadonlyMap<string, { available: number; supplier: string | null }>;
}

type Respond<T> = (result: T) => IdempotencyCompletion | undefined;

/**
 * A proposed change expires when the order leaves the stage entry it was proposed in. It is
 * derived when read rather than written on stage entry: a transition then need not find and
 * rewrite an unbounded number of change records inside its own transaction, and no expiry can
 * be missed or late, because the order record that decides it is read with every change.
 */
export function withExpiry(change: ProposedChange, record: OrderRecord): ProposedChange {
  const left = record.order.stage !== change.stage || record.entry !== change.entry;
  return change.status === 'proposed' && left ? { ...change, status: 'expired' } : change;
}

function planOn(order: Order, patch: ChangePatch, stock: StockRead, now: Date): ChangePlan {
  const available = new Map([...stock.levels].map(([sku, level]) => [sku, level.available]));
  return planChange({ order, patch, reservations: stock.reservations, available, now });
}

/** The SKUs whose stock a preview needs: those of lines that grow, when the order holds reservations. */
export function skusToRead(order: Order, patch: ChangePatch, reservations: readonly Reservation[]): string[] {
  if (reservations.length === 0) return [];
  try {
    const draft = planChange({ order, patch, reservations, available: new Map(), now: new Date(0) });
    return draft.preview.lines.filter((line) => line.to > line.from).map((line) => line.sku);
  } catch (error) {
    // A patch that no longer fits (the change was applied, the order moved on): the planner says so.
    if (error instanceof ProblemError) return [];
    throw error;
  }
}

/** Stores the change and its preview; the order stays as it is (its version is the change's base). */
export function planProposal(
  input: PlanInput & {
    principal: Principal;
    request: ProposeChangeRequest;
    stock: StockRead;
    respond: Respond<ProposedChange>;
  },
): { planned: PlannedChange; change: ProposedChange } {
  const { record, pinned, principal, request, now } = input;
  const { order } = record;
  if (stageOf(pinned.workflow, order.stage).final) {
    throw problems.conflict(`The order is in the final stage "${order.stage}"; it can no longer change.`, {
      stage: order.stage,
    });
  }
  const { preview } = planOn(order, request.patch, input.stock, now);
  const change: ProposedChange = {
    id: newId('chg', now.getTime()),
    orderId: order.id,
    status: 'proposed',
    baseVersion: order.version,
    stage: order.stage,
    entry: record.entry,
    patch: request.patch,
    ...(request.note !== undefined ? { note: request.note } : {}),
    preview,
    proposedAt: now.toISOString(),
    proposedBy: actorOf(principal),
  };
  const idempotency = input.respond(change);
  return {
    change,
    planned: {
      change: {
        order,
        events: [buildEvent('order.change_proposed', actorOf(principal), { order, change })],
        at: change.proposedAt,
        companions: [{ type: 'change.put', change }],
        ...(idempotency ? { idempotency } : {}),
      },
    },
  };
}

/** A decision needs a change that is still proposed (not applied, rejected or expired). */
function assertOpen(change: ProposedChange): void {
  if (change.status !== 'proposed') {
    throw problems.conflict(`The change is ${change.status}; only a proposed change can be decided.`, {
      changeStatus: change.status,
    });
  }
}

export function planRejection(
  input: PlanInput & {
    principal: Principal;
    change: ProposedChange;
    note?: string;
    respond: Respond<ProposedChange>;
  },
): { planned: PlannedChange; change: ProposedChange } {
  const { record, principal, now } = input;
  const change = withExpiry(input.change, record);
  assertOpen(change);
  const rejected: ProposedChange = {
    ...change,
    status: 'rejected',
    decidedAt: now.toISOString(),
    decidedBy: actorOf(principal),
    ...(input.note !== undefined ? { decisionNote: input.note } : {}),
  };
  const idempotency = input.respond(rejected);
  const { order } = record;
  return {
    change: rejected,
    planned: {
      change: {
        order,
        events: [buildEvent('order.change_rejected', actorOf(principal), { order, change: rejected })],
        at: rejected.decidedAt,
        companions: [{ type: 'change.put', change: rejected, expectedStatus: 'proposed' }],
        ...(idempotency ? { idempotency } : {}),
      },
    },
  };
}

/**
 * Applies the change to the order it was proposed on: the order, its resized reservations,
 * purchase orders for a new shortfall (when this stage entry raised purchase orders), the
 * change's status and `order.change_applied`, all conditioned on the base version. A moved
 * order, a decided change or stage actions still running are a 409.
 */
export function planApplication(
  input: PlanInput & {
    principal: Principal;
    change: ProposedChange;
    stock: StockRead;
    respond: Respond<Order>;
  },
): PlannedChange {
  const { record, pinned, principal, now } = input;
  const change = withExpiry(input.change, record);
  assertOpen(change);
  const { order } = record;
  if (order.version !== change.baseVersion) {
    throw problems.conflict(
      `The order is at version ${order.version}; the change was proposed on version ${change.baseVersion}. Nothing was applied: propose it again on the current order.`,
      { version: order.version, baseVersion: change.baseVersion },
    );
  }
  if (order.actions.state === 'running') {
    throw problems.conflict("The stage's actions are still running; apply the change once they finish.", {
      actions: order.actions,
    });
  }
  const plan = planOn(order, change.patch as ChangePatch, input.stock, now);
  const applied: ProposedChange = {
    ...change,
    status: 'applied',
    decidedAt: now.toISOString(),
    decidedBy: actorOf(principal),
    appliedVersion: plan.order.version,
    applied: plan.preview,
  };
  const reservedAt = now.toISOString();
  const companions: CompanionWrite[] = [
    { type: 'change.put', change: applied, expectedStatus: 'proposed' },
    ...plan.adjustments.map((adjustment) => ({
      type: 'reservation.adjust' as const,
      orderId: order.id,
      reservedAt,
      ...adjustment,
    })),
    ...purchaseOrdersFor(record, pinned.workflow, plan, input.stock, change.id, now).map((purchaseOrder) => ({
      type: 'purchaseOrder.raise' as const,
      purchaseOrder,
    })),
  ];
  const signal = recheckSignal(principal.tenantId, record, pinned.workflow, plan.order);
  const idempotency = input.respond(plan.order);
  return {
    change: {
      order: plan.order,
      events: [
        buildEvent('order.change_applied', actorOf(principal), {
          order: plan.order,
          change: applied,
          changed: plan.changed,
        }),
      ],
      companions,
      ...(signal ? { signal } : {}),
      ...(idempotency ? { idempotency } : {}),
    },
  };
}

/**
 * When this stage entry raised purchase orders (its `purchase_order.create` succeeded), a new
 * shortfall gets its own, one per supplier as that action would choose; their keys name the
 * change, so they exist once.
 */
function purchaseOrdersFor(
  record: OrderRecord,
  workflow: Workflow,
  plan: ChangePlan,
  stock: StockRead,
  changeId: string,
  now: Date,
) {
  if (plan.shortfalls.length === 0) return [];
  const action = stageOf(workflow, record.order.stage).onEnter.find((candidate) => {
    const result = record.actionResults[candidate.id ?? ''];
    return (
      candidate.type === 'purchase_order.create' &&
      result?.entry === record.entry &&
      result.status === 'succeeded'
    );
  });
  if (!action?.id) return [];
  const fallback = 'supplierFallback' in action ? action.supplierFallback : undefined;
  const grouped = groupBySupplier(
    plan.shortfalls,
    (sku) => stock.levels.get(sku)?.supplier ?? null,
    fallback,
  );
  return [...grouped].map(([supplier, items]) => ({
    id: newId('po', now.getTime()),
    supplier,
    items,
    orderId: record.order.id,
    stage: record.order.stage,
    entry: record.entry,
    actionId: action.id as string,
    changeId,
    createdAt: now.toISOString(),
  }));
}
