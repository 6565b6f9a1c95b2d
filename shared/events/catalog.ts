/**
 * Every event type the service emits, declared once: when it happens, the zod schema of its
 * `data`, and (through `buildEvent`) the one way code creates it. The webhook subscription
 * schema, the OpenAPI document and docs/webhooks.md are checked against this table; custom
 * types come from a workflow's `emits` and `notify` and only have to match the pattern.
 */
import * as z from 'zod';
import { ProposedChange } from '../changes/schema.js';
import { type Actor, Order, ShipmentRecord } from '../orders/schema.js';

/** The form of every event type, built-in or custom (spec/workflow-format.md). */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_.]{2,63}$/;

/** The subscription filter that matches every event type. */
export const ALL_EVENT_TYPES = '*';

/** The envelope type of an `http` action's request, so a receiver can tell it from a webhook. */
export const HTTP_ACTION_EVENT_TYPE = 'order.action';
/** The envelope type of the request `compensate` sends to an `http` action's `undo.url`. */
export const HTTP_UNDO_EVENT_TYPE = 'order.action_undo';

const action = z.object({ id: z.string(), type: z.string() });
/** Records of later features; their owners tighten these as the records settle. */
const record = z.looseObject({ id: z.string() });

const entry = <Data extends z.ZodType>(when: string, data: Data) => ({ when, data });
const holdEvent = (when: string) => entry(when, z.object({ order: Order, hold: record }));
const returnEvent = (when: string) => entry(when, z.object({ order: Order, return: record }));

export const eventCatalog = {
  'order.created': entry('order created', z.object({ order: Order })),
  'order.updated': entry('details edited (PATCH)', z.object({ order: Order, changed: z.array(z.string()) })),
  'order.stage_changed': entry(
    'any stage change',
    z.object({
      order: Order,
      from: z.string(),
      to: z.string(),
      cause: z.enum(['api', 'auto', 'timeout', 'action_error']),
      note: z.string().optional(),
    }),
  ),
  'order.shipped': entry(
    "entering a stage that emits it (the default workflow's `shipped`)",
    z.object({ order: Order, shipment: ShipmentRecord.nullable() }),
  ),
  'order.action_failed': entry(
    'an onEnter action failed after its retries',
    z.object({ order: Order, stage: z.string(), action, error: z.string() }),
  ),
  'order.action_succeeded': entry(
    'an onEnter action succeeded',
    z.object({
      order: Order,
      stage: z.string(),
      action,
      result: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  'order.actions_retried': entry(
    '`POST /v1/orders/{id}/retry`',
    z.object({ order: Order, actions: z.array(z.string()) }),
  ),
  'order.migrated': entry(
    '`POST /v1/orders/{id}/migrate`',
    z.object({ order: Order, fromVersion: z.int(), toVersion: z.int() }),
  ),
  'order.auto_moves_stopped': entry(
    'too many automatic moves in a row; the order stays in its stage',
    z.object({ order: Order, stage: z.string(), moves: z.int() }),
  ),
  'order.item_progressed': entry(
    'item or service progress',
    z.object({
      order: Order,
      sku: z.string().optional(),
      code: z.string().optional(),
      status: z.string(),
      quantity: z.int().optional(),
    }),
  ),
  'order.hold_placed': holdEvent('a hold placed'),
  'order.hold_released': holdEvent('a hold released'),
  'order.shipment_created': entry(
    'a shipment recorded (partial or whole)',
    z.object({ order: Order, shipment: record }),
  ),
  'return.requested': returnEvent('a return requested'),
  'return.received': returnEvent('a return received'),
  'return.refunded': returnEvent('a return refunded'),
  'return.rejected': returnEvent('a return rejected'),
  'order.change_proposed': entry(
    'a change after confirmation proposed',
    z.object({ order: Order, change: ProposedChange }),
  ),
  'order.change_applied': entry(
    'a change after confirmation applied',
    z.object({ order: Order, change: ProposedChange, changed: z.array(z.string()) }),
  ),
  'order.change_rejected': entry(
    'a change after confirmation rejected',
    z.object({ order: Order, change: ProposedChange }),
  ),
  'purchase_order.cancelled': entry(
    '`compensate` cancelled a purchase order',
    z.object({ order: Order, purchaseOrder: record }),
  ),
  'webhook.disabled': entry(
    "an endpoint failed every attempt for 5 days; sent to the tenant's other subscriptions",
    z.object({ webhook: record }),
  ),
} as const;

export type CatalogEventType = keyof typeof eventCatalog;
export type EventData<Type extends CatalogEventType> = z.input<(typeof eventCatalog)[Type]['data']>;

/** The catalog's types, in the order docs/webhooks.md lists them. */
export const catalogEventTypes = Object.keys(eventCatalog) as CatalogEventType[];

/** A type from a workflow (`emits`, `notify`); branded so only `customEvent` makes one. */
export type CustomEventType = string & { readonly custom: unique symbol };

export type EventType = CatalogEventType | CustomEventType;

/** An event to append to an order's history (the store adds id, sequence and timestamp). */
export interface NewEvent {
  type: EventType;
  actor: Actor;
  data: Record<string, unknown>;
}

export function isCatalogEventType(type: string): type is CatalogEventType {
  return Object.hasOwn(eventCatalog, type);
}

/** The one way to create a catalog event: its data is typed by the catalog. */
export function buildEvent<Type extends CatalogEventType>(
  type: Type,
  actor: Actor,
  data: EventData<Type>,
): NewEvent {
  return { type, actor, data: data as Record<string, unknown> };
}

/** A workflow-declared event (`emits` of a stage, a `notify` action): `{ order, stage }`. */
export function customEvent(type: string, actor: Actor, data: { order: Order; stage: string }): NewEvent {
  return { type: type as CustomEventType, actor, data };
}

/** An event type in a subscription or a workflow: the catalog's or a custom one. */
export const eventTypeSchema = z
  .string()
  .regex(EVENT_TYPE_PATTERN, 'an event type such as order.shipped')
  .describe(`One of ${catalogEventTypes.join(', ')}, or a custom type a workflow emits.`);

/** One entry of a subscription's `events`: an event type or `*`. */
export const eventFilterSchema = z.union([z.literal(ALL_EVENT_TYPES), eventTypeSchema]);
