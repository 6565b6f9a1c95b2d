import type { Principal } from '../auth/api-keys.js';
import type { Scope } from '../auth/scopes.js';
import type { Problem } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import { judged } from './allowed-operations.js';
import type { OrderRecord } from './order-store.js';
import type { Order } from './schema.js';
import { planManualTransition, stageOf } from './transitions.js';

export interface TransitionOption {
  to: string;
  label: string;
  /** Whether `POST /transitions` with this `to` would succeed now (given a shipment, when it needs one). */
  allowed: boolean;
  /** The transition requires a shipment: the request must carry `shipment`. */
  needsShipment: boolean;
  /** What that request would answer when it is refused. */
  problem?: Problem;
}

/** Stands in for the shipment a person would enter, so that only the other guards are judged. */
const SOME_SHIPMENT = { carrier: 'carrier', trackingNumber: 'tracking' };

/**
 * The manual transitions of the order's current stage, each judged by the planner the API
 * runs (transitions.ts) for this caller: the reason a refused one gives is the very problem
 * `POST /orders/{id}/transitions` would answer, a missing `scope` included.
 */
export function transitionOptions(
  order: Order,
  workflow: Workflow,
  principal: Principal,
  now: Date,
  scope: Scope,
): TransitionOption[] {
  return stageOf(workflow, order.stage)
    .transitions.filter((transition) => !transition.auto)
    .map((transition) => {
      const needsShipment = transition.requires?.includes('shipment') === true;
      const option = {
        to: transition.to,
        label: stageOf(workflow, transition.to).label,
        needsShipment,
      };
      return {
        ...option,
        ...judged(principal, scope, () =>
          planManualTransition({
            record: { order } as OrderRecord,
            workflow,
            request: { to: transition.to, ...(needsShipment ? { shipment: SOME_SHIPMENT } : {}) },
            principal,
            actor: { type: 'key', keyId: principal.keyId, role: principal.role },
            ifMatchVersion: undefined,
            now,
          }),
        ),
      };
    });
}
