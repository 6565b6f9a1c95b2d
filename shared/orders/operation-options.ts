/**
 * What `GET /orders/{id}/transitions` answers under `operations`: types only, so the
 * console shares them without the server's modules.
 */
import type { Problem } from '../problem.js';

/** Whether a call would succeed now, and what it would answer when refused. */
export interface OperationOption {
  allowed: boolean;
  problem?: Problem;
}

/** The order's other calls besides transitions, each judged for this caller. */
export interface OrderOperations {
  placeHold: OperationOption;
  releaseHold: OperationOption;
  createShipment: OperationOption;
  requestReturn: OperationOption;
  returns: { id: string; receive: OperationOption; refund: OperationOption; reject: OperationOption }[];
}
