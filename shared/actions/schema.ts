import * as z from 'zod';
import { Item } from '../orders/schema.js';

/** SKUs in paths follow the same rule as SKUs on order items. */
export const Sku = Item.shape.sku;

const supplier = z.string().trim().min(1).max(100);

export const SetInventoryRequest = z.strictObject({
  onHand: z.int().min(0).max(1_000_000_000),
  supplier: supplier.optional().describe('Who restocks this SKU; purchase orders fall back to it.'),
});
export type SetInventoryRequest = z.output<typeof SetInventoryRequest>;

export const InventoryLevel = z.object({
  sku: z.string(),
  onHand: z.int().min(0),
  reserved: z.int().min(0).describe('Held by orders that reserved stock and have not released it.'),
  available: z.int().min(0).describe('onHand − reserved; never negative.'),
  supplier: z.string().nullable(),
});
export type InventoryLevel = z.infer<typeof InventoryLevel>;

/** Stage actions' records say which action of which stage entry made them (their idempotency key). */
const madeBy = {
  orderId: z.string(),
  stage: z.string(),
  entry: z.int().min(1),
  actionId: z.string(),
  createdAt: z.iso.datetime(),
  status: z
    .enum(['open', 'cancelled'])
    .optional()
    .describe('open (absent on records stored before cancelling existed), or cancelled by `compensate`.'),
  cancelledAt: z.iso.datetime().optional(),
};

export const PurchaseOrder = z.object({
  id: z.string().describe('po_ followed by a time-sortable id.'),
  supplier: z
    .string()
    .nullable()
    .describe('null when neither the items, the inventory nor the action named a supplier.'),
  items: z.array(z.object({ sku: z.string(), name: z.string().optional(), quantity: z.int().min(1) })),
  ...madeBy,
  changeId: z
    .string()
    .optional()
    .describe(
      "Raised for the new shortfall of this applied change (actionId: the stage's purchase_order.create).",
    ),
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

export const LaborTask = z.object({
  id: z.string().describe('task_ followed by a time-sortable id.'),
  team: z.string(),
  hours: z.number().min(0).describe('hoursPerUnit × total item quantity + fixedHours.'),
  dueAt: z.iso.datetime().nullable().describe('Creation time + the action’s dueIn; null without dueIn.'),
  ...madeBy,
});
export type LaborTask = z.infer<typeof LaborTask>;

export const ActionSigningSecret = z.object({
  secret: z
    .string()
    .describe('whsec_ key that signs this tenant’s http action requests (Standard Webhooks); stable.'),
});
