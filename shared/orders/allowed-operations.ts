import type { Principal } from '../auth/api-keys.js';
import { holdsScope, type Scope } from '../auth/scopes.js';
import { ProblemError, problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import { activeHolds, planPlaceHold } from './holds.js';
import type { OperationOption, OrderOperations } from './operation-options.js';
import type { OrderRecord } from './order-store.js';
import { actorOf } from './plans.js';
import { planReturnRequest, planReturnStep } from './returns.js';
import type { Order } from './schema.js';
import { planShipment } from './transitions.js';

/** The scope each judged call's route names (shared/http/routes.ts). */
export type OperationScopes = Record<
  | 'transitionOrder'
  | 'placeOrderHold'
  | 'releaseOrderHold'
  | 'createOrderShipment'
  | 'requestOrderReturn'
  | 'receiveOrderReturn'
  | 'refundOrderReturn'
  | 'rejectOrderReturn',
  Scope
>;

/**
 * Judges a call as the API would: the edge's scope check first (403), then the planner the
 * operation runs, on the order as read. The problem is the very one the call would answer.
 */
export function judged(principal: Principal, scope: Scope, plan: () => unknown): OperationOption {
  if (!holdsScope(principal.scopes, scope))
    return { allowed: false, problem: problems.missingScope(scope).toProblem() };
  try {
    plan();
    return { allowed: true };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { allowed: false, problem: error.toProblem() };
  }
}

/** One unit of a line that shipped and is not yet on a return (else the first line, which the planner refuses). */
function someReturnableUnit(order: Order): { sku: string; quantity: number } {
  const open = new Map<string, number>();
  for (const shipment of order.shipments)
    for (const item of shipment.items) open.set(item.sku, (open.get(item.sku) ?? 0) + item.quantity);
  for (const returned of order.returns ?? []) {
    if (returned.status === 'rejected') continue;
    for (const item of returned.items) open.set(item.sku, (open.get(item.sku) ?? 0) - item.quantity);
  }
  const sku = [...open].find(([, left]) => left > 0)?.[0] ?? order.items[0]?.sku ?? '';
  return { sku, quantity: 1 };
}

/**
 * Holds, shipments and returns of the order, judged with stand-ins for what a person would
 * enter (a reason, everything left to ship, one returnable unit, a zero refund), so that
 * only the key's scopes and the order's state decide.
 */
export function operationOptions(
  order: Order,
  workflow: Workflow,
  principal: Principal,
  now: Date,
  scopes: OperationScopes,
): OrderOperations {
  const record = { order } as OrderRecord;
  const actor = actorOf(principal);
  return {
    placeHold: judged(principal, scopes.placeOrderHold, () =>
      planPlaceHold({ record, workflow, request: { reason: 'other' }, actor, now }),
    ),
    releaseHold: judged(principal, scopes.releaseOrderHold, () => {
      if (activeHolds(order).length === 0) throw problems.notFound(`A hold of order ${order.id}`);
    }),
    createShipment: judged(principal, scopes.createOrderShipment, () =>
      planShipment({ record, workflow, request: {}, actor, now }),
    ),
    requestReturn: judged(principal, scopes.requestOrderReturn, () =>
      planReturnRequest({ order, request: { items: [someReturnableUnit(order)] }, actor, now }),
    ),
    returns: (order.returns ?? []).map(({ id }) => ({
      id,
      receive: judged(principal, scopes.receiveOrderReturn, () =>
        planReturnStep({ order, returnId: id, step: { to: 'received', restock: false }, actor, now }),
      ),
      refund: judged(principal, scopes.refundOrderReturn, () =>
        planReturnStep({ order, returnId: id, step: { to: 'refunded', refund: { amount: 0 } }, actor, now }),
      ),
      reject: judged(principal, scopes.rejectOrderReturn, () =>
        planReturnStep({ order, returnId: id, step: { to: 'rejected' }, actor, now }),
      ),
    })),
  };
}
