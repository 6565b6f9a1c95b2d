import * as z from 'zod';
import type { DetailField } from '../orders/order.js';
import { Actor, Order, PatchOrderRequest } from '../orders/schema.js';

/** What a change after confirmation may touch; the customer and attachments stay as confirmed. */
export const CHANGEABLE_FIELDS = [
  'items',
  'services',
  'shipping',
  'notes',
  'metadata',
] as const satisfies readonly DetailField[];

/**
 * A JSON merge-patch of the changeable details: PATCH's own schema, narrowed. Like PATCH, values
 * are checked after merging against the rules of a new order, together with any field a change
 * may not touch, so one answer lists every problem.
 */
export const ChangePatch = PatchOrderRequest.pick({
  items: true,
  services: true,
  shipping: true,
  notes: true,
  metadata: true,
}).describe('Merge-patch of items, services, shipping, notes and metadata.');
export type ChangePatch = z.output<typeof ChangePatch>;

const note = z.string().max(2000);

export const ProposeChangeRequest = z.strictObject({ patch: ChangePatch, note: note.optional() });
export type ProposeChangeRequest = z.output<typeof ProposeChangeRequest>;

export const RejectChangeRequest = z.strictObject({ note: note.optional() });
export type RejectChangeRequest = z.output<typeof RejectChangeRequest>;

const count = z.int().min(0);

export const ChangedLine = z.object({
  sku: z.string(),
  from: count.describe('Quantity before; 0 for an added line.'),
  to: count.describe('Quantity after; 0 for a removed line.'),
  added: z.boolean(),
  removed: z.boolean(),
});
export type ChangedLine = z.infer<typeof ChangedLine>;

export const InventoryEffect = z.object({
  sku: z.string(),
  reserved: count.describe('Units the order holds now.'),
  reserve: count.describe('Units applying takes from stock.'),
  release: count.describe('Units applying gives back to stock.'),
  backordered: count.describe('Units of the line left backordered after applying, at current stock.'),
  shortfall: count.describe(
    'Of those, units backordered anew (more than before): what a purchase order is raised for.',
  ),
});
export type InventoryEffect = z.infer<typeof InventoryEffect>;

export const ChangePreview = z.object({
  changed: z.array(z.string()).describe('The order fields applying changes.'),
  totals: z.object({ before: Order.shape.totals, after: Order.shape.totals }),
  lines: z.array(ChangedLine).describe('Each item whose quantity changes, or that is added or removed.'),
  inventory: z
    .array(InventoryEffect)
    .nullable()
    .describe('Per SKU, when the order holds reservations; null when it holds none.'),
});
export type ChangePreview = z.infer<typeof ChangePreview>;

export const ChangeStatus = z.enum(['proposed', 'applied', 'rejected', 'expired']);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

export const ProposedChange = z.object({
  id: z.string().describe('chg_ followed by a time-sortable id.'),
  orderId: z.string(),
  status: ChangeStatus.describe('expired: the order left the stage (or re-entered it) it was proposed in.'),
  baseVersion: z.int().min(1).describe('The order version the change was proposed on; applying needs it.'),
  stage: z.string().describe('The stage the change was proposed in.'),
  entry: z.int().min(1).describe("The order's stage entry the change was proposed in."),
  patch: z.record(z.string(), z.unknown()),
  note: z.string().optional(),
  preview: ChangePreview.describe('What applying does, as computed when proposed.'),
  proposedAt: z.iso.datetime(),
  proposedBy: Actor,
  decidedAt: z.iso.datetime().optional(),
  decidedBy: Actor.optional(),
  decisionNote: z.string().optional(),
  appliedVersion: z.int().min(1).optional().describe('The order version applying produced.'),
  applied: ChangePreview.optional().describe(
    'What applying did (the stock may have moved since the proposal).',
  ),
});
export type ProposedChange = z.infer<typeof ProposedChange>;
