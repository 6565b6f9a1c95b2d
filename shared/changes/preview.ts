import type { Reservation } from '../actions/inventory-store.js';
import { applyPatch, type DetailField } from '../orders/order.js';
import type { Order } from '../orders/schema.js';
import { ProblemError, problems } from '../problem.js';
import {
  CHANGEABLE_FIELDS,
  type ChangedLine,
  type ChangePatch,
  type ChangePreview,
  type InventoryEffect,
} from './schema.js';

/**
 * Applying a change adjusts every re-reserved SKU in one DynamoDB transaction (at most 100
 * writes: a reservation and a stock level per SKU, a purchase order per supplier, and the order,
 * the change, its event and the idempotency record), so one change re-reserves at most this many.
 */
export const MAX_RESERVED_LINES_PER_CHANGE = 30;

/** How one SKU's reservation record changes: created (no `from`), deleted (no `to`) or resized. */
export interface ReservationResize {
  sku: string;
  from?: number;
  to?: number;
}

/** A new shortfall of one line: what a purchase order is raised for. */
export interface Shortfall {
  sku: string;
  name?: string;
  supplier?: string;
  quantity: number;
}

export interface ChangePlan {
  /** The order as applying leaves it (version and updatedAt moved on, backordered counts set). */
  order: Order;
  changed: DetailField[];
  preview: ChangePreview;
  adjustments: ReservationResize[];
  shortfalls: Shortfall[];
}

export interface ChangeInputs {
  order: Order;
  patch: ChangePatch;
  /** The reservations the order holds (none: it has not reserved stock, or released it). */
  reservations: readonly Reservation[];
  /** Units available now, per SKU of a changed line; a SKU without stock has none. */
  available: ReadonlyMap<string, number>;
  now: Date;
}

/** Each item whose quantity changes, or that is added or removed, in the order's then the patch's order. */
export function changedLines(before: Order['items'], after: Order['items']): ChangedLine[] {
  const from = new Map(before.map((item) => [item.sku, item.quantity]));
  const to = new Map(after.map((item) => [item.sku, item.quantity]));
  const skus = [...new Set([...from.keys(), ...to.keys()])];
  return skus
    .map((sku) => ({
      sku,
      from: from.get(sku) ?? 0,
      to: to.get(sku) ?? 0,
      added: !from.has(sku),
      removed: !to.has(sku),
    }))
    .filter((line) => line.from !== line.to);
}

/** The patched order; its problems located in the request body, under `/patch`. */
function patchOf(order: Order, patch: ChangePatch, now: Date) {
  try {
    return applyPatch(order, patch, now, CHANGEABLE_FIELDS);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    const located = (error.errors ?? []).map((problem) => ({ ...problem, path: `/patch${problem.path}` }));
    throw problems.validation(located, 'The changed order would not be valid.');
  }
}

/**
 * What applying a change does, as a pure function of the order, the patch, the order's
 * reservations and the stock available now. A held reservation is adjusted the way
 * `inventory.reserve` would have made it for the new quantity: the excess is released, more
 * is reserved while stock lasts, and the rest is backordered. Proposing stores its preview;
 * applying plans again on what is there then and writes exactly this plan's order.
 */
export function planChange({ order, patch, reservations, available, now }: ChangeInputs): ChangePlan {
  const patched = patchOf(order, patch, now);
  if (patched.changed.length === 0) {
    throw problems.validation(
      [{ path: '/patch', message: 'Every field it names already has that value.' }],
      'The change changes nothing.',
    );
  }
  const lines = changedLines(order.items, patched.order.items);
  const preview = (inventory: InventoryEffect[] | null): ChangePreview => ({
    changed: patched.changed,
    totals: { before: order.totals, after: patched.order.totals },
    lines,
    inventory,
  });
  if (reservations.length === 0) {
    return { ...patched, preview: preview(null), adjustments: [], shortfalls: [] };
  }
  if (lines.length > MAX_RESERVED_LINES_PER_CHANGE) {
    throw problems.validation(
      [
        {
          path: '/patch/items',
          message: `The order holds reservations, so one change may alter at most ${MAX_RESERVED_LINES_PER_CHANGE} lines; this one alters ${lines.length}. Split it.`,
        },
      ],
      'The change is too large to apply at once.',
    );
  }

  const held = new Map(reservations.map((reservation) => [reservation.sku, reservation.quantity]));
  const backorderedBefore = new Map(order.items.map((item) => [item.sku, item.backordered]));
  const effects: InventoryEffect[] = [];
  const adjustments: ReservationResize[] = [];
  for (const line of lines) {
    const reserved = held.get(line.sku) ?? 0;
    const reserve = Math.max(0, Math.min(line.to - reserved, available.get(line.sku) ?? 0));
    const release = Math.max(0, reserved - line.to);
    const reservedAfter = reserved + reserve - release;
    const backordered = line.to - reservedAfter;
    const shortfall = Math.max(0, backordered - (backorderedBefore.get(line.sku) ?? 0));
    effects.push({ sku: line.sku, reserved, reserve, release, backordered, shortfall });
    if (!held.has(line.sku)) adjustments.push({ sku: line.sku, to: reservedAfter });
    else if (line.removed) adjustments.push({ sku: line.sku, from: reserved });
    else if (reservedAfter !== reserved)
      adjustments.push({ sku: line.sku, from: reserved, to: reservedAfter });
  }
  const effectOf = new Map(effects.map((effect) => [effect.sku, effect]));
  const items = patched.order.items.map((item) => {
    const effect = effectOf.get(item.sku);
    return effect ? { ...item, backordered: effect.backordered } : item;
  });
  const shortfalls = items.flatMap((item) => {
    const quantity = effectOf.get(item.sku)?.shortfall ?? 0;
    if (quantity === 0) return [];
    return [
      {
        sku: item.sku,
        quantity,
        ...(item.name ? { name: item.name } : {}),
        ...(item.supplier ? { supplier: item.supplier } : {}),
      },
    ];
  });
  return {
    order: { ...patched.order, items },
    changed: patched.changed,
    preview: preview(effects),
    adjustments,
    shortfalls,
  };
}
