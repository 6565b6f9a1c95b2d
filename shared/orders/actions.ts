import type { NewEvent } from '../events/catalog.js';
import type { TaskAction } from '../workflow/task-payloads.js';
import type { Order } from './schema.js';

/** One onEnter action to run for one stage entry of an order. */
export interface ActionContext {
  tenantId: string;
  order: Order;
  stage: string;
  /** The order's stage-entry counter: with the action id it makes the action's idempotency key. */
  entry: number;
  action: TaskAction;
  now: Date;
}

/** What an action did, applied to the order in the same write that records the action's success. */
export interface ActionOutcome {
  /** Pure change to the order (for example backordered quantities); applied to the freshest read. */
  apply?: (order: Order) => Order;
  /** Stored on the `order.action_succeeded` event (for example an `http` action's response body). */
  result?: Record<string, unknown>;
  /** Further history events (a `notify` action's custom event). */
  events?: NewEvent[];
}

/**
 * Runs built-in action types. Every action is idempotent per (order, entry, action id):
 * running it again after a crash or a retry has no further effect. A failure is thrown.
 */
export interface ActionRunner {
  run(context: ActionContext): Promise<ActionOutcome>;
}
