import * as z from 'zod';
import { HOLD_REASONS } from './hold-reasons.js';

/** Per-order limits from the API contract. */
export const orderLimits = { items: 500, services: 100, attachments: 50, metadataKeys: 50 } as const;

const money = z.int().min(0).max(1_000_000_000_000).describe('Integer minor units (cents).');
const text = (max: number) => z.string().trim().min(1).max(max);

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Must be an ISO-4217 code such as "GBP".')
  .describe('ISO-4217 currency code.');

export const Customer = z.strictObject({
  name: text(200).optional(),
  email: z.email().max(254).optional(),
  phone: z.string().max(40).optional(),
});

export const Item = z.strictObject({
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'SKU: 1–64 letters, digits, ".", "_" or "-".'),
  name: text(200).optional(),
  quantity: z.int().min(1).max(1_000_000),
  unitPrice: money.optional(),
  supplier: text(100).optional(),
});

export const Service = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'Code: 1–64 letters, digits, ".", "_" or "-".'),
  description: text(500).optional(),
  price: money.optional(),
});

export const Address = z.strictObject({
  line1: text(200),
  line2: z.string().max(200).optional(),
  city: text(100),
  region: z.string().max(100).optional(),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'Must be an ISO-3166 alpha-2 code such as "GB".'),
});

export const Shipping = z.strictObject({
  method: z.enum(['pickup', 'carrier', '3pl']),
  carrier: text(100).optional(),
  service: text(100).optional(),
  address: Address.optional(),
});

export const Attachment = z.strictObject({
  name: text(200),
  kind: text(50).optional(),
  url: z.url({ protocol: /^https?$/ }).max(2048),
});

export const Metadata = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'Metadata keys: 1–40 letters, digits, ".", "_" or "-".'),
    z.string().max(500),
  )
  .refine((value) => Object.keys(value).length <= orderLimits.metadataKeys, {
    message: `At most ${orderLimits.metadataKeys} metadata keys.`,
  });

/** The details a client owns; everything else on an order is computed by the service. */
const orderDetails = {
  customer: Customer,
  items: z.array(Item).max(orderLimits.items, `At most ${orderLimits.items} items.`),
  services: z.array(Service).max(orderLimits.services, `At most ${orderLimits.services} services.`),
  shipping: Shipping,
  attachments: z
    .array(Attachment)
    .max(orderLimits.attachments, `At most ${orderLimits.attachments} attachments.`),
  notes: z.string().max(10_000),
  metadata: Metadata,
};

function uniqueBy<T>(field: keyof T & string, list: 'items' | 'services') {
  return (value: { [k: string]: unknown }, ctx: z.RefinementCtx) => {
    const entries = (value[list] as T[] | undefined) ?? [];
    const seen = new Map<unknown, number>();
    entries.forEach((entry, index) => {
      const key = entry[field];
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [list, index, field], message: `Duplicate ${field} "${key}".` });
      }
      seen.set(key, index);
    });
  };
}

export const CreateOrderRequest = z
  .strictObject({
    currency: Currency,
    customer: orderDetails.customer.optional(),
    items: orderDetails.items.default([]),
    services: orderDetails.services.default([]),
    shipping: orderDetails.shipping.optional(),
    attachments: orderDetails.attachments.default([]),
    notes: orderDetails.notes.optional(),
    metadata: orderDetails.metadata.default({}),
  })
  .superRefine(uniqueBy<z.infer<typeof Item>>('sku', 'items'))
  .superRefine(uniqueBy<z.infer<typeof Service>>('code', 'services'));
export type CreateOrderRequest = z.output<typeof CreateOrderRequest>;

/**
 * JSON merge-patch (RFC 7396) of the client-owned details: `null` removes a field, objects merge,
 * arrays replace. Values are checked after merging, against the same rules as a new order,
 * together with any unknown fields, so one answer lists every problem.
 */
const patchable = (description: string) => z.unknown().describe(description);
export const PatchOrderRequest = z.looseObject({
  customer: patchable('Merged into the customer; null removes it.').optional(),
  items: patchable('Replaces the items.').optional(),
  services: patchable('Replaces the services.').optional(),
  shipping: patchable('Merged into shipping; null removes it.').optional(),
  attachments: patchable('Replaces the attachments.').optional(),
  notes: patchable('Replaces the notes; null removes them.').optional(),
  metadata: patchable('Merged key by key; a null value removes that key.').optional(),
});
export type PatchOrderRequest = z.output<typeof PatchOrderRequest>;

/** After a patch is merged, the result must still be a valid order. */
export const OrderDetails = z
  .strictObject({
    customer: orderDetails.customer.optional(),
    items: orderDetails.items,
    services: orderDetails.services,
    shipping: orderDetails.shipping.optional(),
    attachments: orderDetails.attachments,
    notes: orderDetails.notes.optional(),
    metadata: orderDetails.metadata,
  })
  .superRefine(uniqueBy<z.infer<typeof Item>>('sku', 'items'))
  .superRefine(uniqueBy<z.infer<typeof Service>>('code', 'services'));
export type OrderDetails = z.output<typeof OrderDetails>;

export const ShipmentRecord = z.object({
  id: z.string(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  items: z.array(z.object({ sku: z.string(), quantity: z.int() })),
  shippedAt: z.iso.datetime(),
});
export type ShipmentRecord = z.infer<typeof ShipmentRecord>;

export const PlaceHoldRequest = z.strictObject({
  reason: z.enum(HOLD_REASONS),
  note: z.string().max(2000).optional(),
});
export type PlaceHoldRequest = z.output<typeof PlaceHoldRequest>;

export const Actor = z.union([
  z.object({ type: z.literal('key'), keyId: z.string(), role: z.string() }),
  z.object({ type: z.literal('system') }),
]);
export type Actor = z.infer<typeof Actor>;

export const ReturnLine = z.strictObject({
  sku: z.string().min(1).max(64),
  quantity: z.int().min(1).max(1_000_000),
  reason: z.string().max(500).optional(),
});

export const RequestReturnRequest = z.strictObject({
  items: z.array(ReturnLine).min(1).max(orderLimits.items),
  note: z.string().max(2000).optional(),
});
export type RequestReturnRequest = z.output<typeof RequestReturnRequest>;

export const ReceiveReturnRequest = z.strictObject({
  restock: z.boolean().default(false).describe('Add the returned units back to inventory.'),
});
export const RefundReturnRequest = z.strictObject({
  amount: money,
  note: z.string().max(2000).optional(),
});
export type RefundReturnRequest = z.output<typeof RefundReturnRequest>;
export const RejectReturnRequest = z.strictObject({ note: z.string().max(2000).optional() });

export const OrderReturn = z.object({
  id: z.string().describe('ret_ followed by a time-sortable id.'),
  status: z.enum(['requested', 'received', 'refunded', 'rejected']),
  items: z.array(ReturnLine),
  note: z.string().optional(),
  value: money.describe("The returned lines' value (quantity × unit price): the refund's bound."),
  createdAt: z.iso.datetime(),
  receivedAt: z.iso.datetime().optional(),
  restocked: z.boolean().optional(),
  refund: z.object({ amount: money, note: z.string().optional(), refundedAt: z.iso.datetime() }).optional(),
  rejectedAt: z.iso.datetime().optional(),
  rejectionNote: z.string().optional(),
});
export type OrderReturn = z.infer<typeof OrderReturn>;

export const Hold = z.object({
  id: z.string().describe('hold_ followed by a time-sortable id.'),
  reason: z.enum(HOLD_REASONS),
  note: z.string().optional(),
  placedAt: z.iso.datetime(),
  placedBy: Actor,
});
export type Hold = z.infer<typeof Hold>;

/** How far a line (item or service) has come; set through the progress endpoints, not by PATCH. */
export const LineStatus = z
  .enum(['pending', 'ready', 'done'])
  .describe('pending (the default), ready for shipment, or done.');
export type LineStatus = z.infer<typeof LineStatus>;

/** The service owns line progress; orders stored before it existed lack it and read as pending. */
const lineProgress = {
  status: LineStatus.optional().describe('Absent means pending.'),
};

export const Order = z.object({
  id: z.string().describe('ord_ followed by a time-sortable id.'),
  stage: z.string(),
  version: z.int().min(1),
  workflow: z.object({
    version: z.int().min(0),
    revision: z
      .int()
      .min(1)
      .optional()
      .describe('Version 0 (the built-in default) only: its revision; absent means the first.'),
  }),
  customer: Customer.optional(),
  items: z.array(
    Item.extend({
      backordered: z.int().min(0),
      ...lineProgress,
      readyQuantity: z.int().min(0).optional().describe('How many units are ready; absent means 0.'),
      shippedQuantity: z.int().min(0).optional().describe('How many units have shipped; absent means 0.'),
    }),
  ),
  services: z.array(Service.extend(lineProgress)),
  shipping: Shipping.optional(),
  shipments: z.array(ShipmentRecord),
  pendingUndo: z
    .array(
      z.object({
        actionId: z.string(),
        stage: z.string(),
        entry: z.int().min(1),
        url: z.string(),
        timeoutSeconds: z.int().optional(),
      }),
    )
    .optional()
    .describe('http actions that succeeded with an `undo`, oldest first, for a later `compensate` to call.'),
  returns: z.array(OrderReturn).optional().describe('Returns (RMA), oldest first; absent until the first.'),
  holds: z.array(Hold).optional().describe('Active holds; absent on orders stored before holds existed.'),
  attachments: z.array(Attachment),
  notes: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  totals: z.object({ currency: Currency, items: money, services: money, grand: money }),
  actions: z.object({
    state: z.enum(['none', 'running', 'succeeded', 'failed']),
    failed: z.array(z.object({ id: z.string(), error: z.string() })),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Order = z.infer<typeof Order>;

export const OrderEvent = z.object({
  id: z.string().describe('evt_ id; also the webhook-id of its deliveries.'),
  type: z.string(),
  sequence: z.int().min(1).describe('Gap-free per order, starting at 1.'),
  orderId: z.string(),
  timestamp: z.iso.datetime(),
  actor: Actor,
  data: z.record(z.string(), z.unknown()),
});
export type OrderEvent = z.infer<typeof OrderEvent>;

const isoDate = z.iso.datetime({ offset: true });

export const ListOrdersQuery = z
  .strictObject({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Not a stage id.')
      .optional(),
    customerEmail: z.email().max(254).optional(),
    createdAfter: isoDate.optional(),
    createdBefore: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
  })
  .superRefine(({ createdAfter, createdBefore }, ctx) => {
    if (createdAfter === undefined || createdBefore === undefined) return;
    if (Date.parse(createdAfter) <= Date.parse(createdBefore)) return;
    for (const path of ['createdAfter', 'createdBefore']) {
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: 'createdAfter must not be later than createdBefore.',
      });
    }
  });
export type ListOrdersQuery = z.output<typeof ListOrdersQuery>;

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
export type PageQuery = z.output<typeof PageQuery>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ShipmentRequest = z.strictObject({
  carrier: text(100).optional(),
  trackingNumber: text(100).optional(),
  items: z
    .array(z.strictObject({ sku: z.string().min(1).max(64), quantity: z.int().min(1).max(1_000_000) }))
    .min(1)
    .max(orderLimits.items)
    .optional()
    .describe('Omitted: everything not shipped yet.'),
});
export type ShipmentRequest = z.output<typeof ShipmentRequest>;

export const TransitionRequest = z.strictObject({
  to: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Not a stage id.'),
  note: z.string().max(2000).optional(),
  shipment: ShipmentRequest.optional(),
});
export type TransitionRequest = z.output<typeof TransitionRequest>;

const OperationOption = z.object({
  allowed: z.boolean().describe('Whether the call would succeed now (given what a person enters).'),
  problem: z.record(z.string(), z.unknown()).optional().describe('What the call would answer now.'),
});

export const TransitionOptions = z.object({
  stage: z.string(),
  version: z.int(),
  items: z.array(
    z.object({
      to: z.string(),
      label: z.string(),
      allowed: z.boolean(),
      needsShipment: z.boolean(),
      problem: z.record(z.string(), z.unknown()).optional().describe('What moving there would answer now.'),
    }),
  ),
  operations: z
    .object({
      placeHold: OperationOption,
      releaseHold: OperationOption,
      createShipment: OperationOption,
      requestReturn: OperationOption,
      returns: z.array(
        z.object({
          id: z.string(),
          receive: OperationOption,
          refund: OperationOption,
          reject: OperationOption,
        }),
      ),
    })
    .optional()
    .describe("The order's holds, shipments and returns calls, each judged the same way for this key."),
});

export const MigrateRequest = z.strictObject({ toVersion: z.int().min(0) });

export const ItemProgressRequest = z.strictObject({
  status: LineStatus,
  quantity: z
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe("Units ready (0..the item's quantity); defaults to all of them when ready or done, else 0."),
});
export type ItemProgressRequest = z.output<typeof ItemProgressRequest>;

export const ServiceProgressRequest = z.strictObject({ status: LineStatus });
export type ServiceProgressRequest = z.output<typeof ServiceProgressRequest>;
