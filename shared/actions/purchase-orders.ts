import * as z from 'zod';
import { newId } from '../ids.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';
import type { InventoryStore } from './inventory-store.js';
import type { PurchaseOrderStore } from './purchase-order-store.js';
import type { PurchaseOrder } from './schema.js';

const Params = z.object({ supplierFallback: z.string().optional() });

/**
 * One purchase order per supplier for the order's backordered quantities (as the preceding
 * `inventory.reserve` set them). An item's supplier is its own, else its inventory record's,
 * else the action's `supplierFallback`. Items with none of these still get ordered, on one
 * purchase order with supplier null, rather than failing the stage: a person can see and
 * route it, whereas a failed action would hold the order back for a data gap.
 */
export async function createPurchaseOrders(
  stores: { purchaseOrders: PurchaseOrderStore; inventory: InventoryStore },
  { tenantId, order, stage, entry, action, now }: ActionContext,
): Promise<ActionOutcome> {
  const { supplierFallback } = Params.parse(action.params);
  const shortfalls = order.items
    .filter((item) => item.backordered > 0)
    .map((item) => ({ ...item, quantity: item.backordered }));
  const created: PurchaseOrder[] = [];
  for (const [supplier, items] of await bySupplier(
    stores.inventory,
    tenantId,
    shortfalls,
    supplierFallback,
  )) {
    created.push(
      await stores.purchaseOrders.createOnce(tenantId, {
        id: newId('po', now.getTime()),
        supplier,
        items,
        orderId: order.id,
        stage,
        entry,
        actionId: action.id,
        createdAt: now.toISOString(),
        status: 'open',
      }),
    );
  }
  return { result: { purchaseOrders: created.map(({ id, supplier }) => ({ id, supplier })) } };
}

/** A line to order from a supplier. */
export interface ShortLine {
  sku: string;
  name?: string;
  supplier?: string;
  quantity: number;
}

/**
 * Lines grouped by who supplies them: the line's own supplier, else its inventory record's,
 * else the fallback, else null (one purchase order a person routes by hand).
 */
export async function bySupplier(
  inventory: InventoryStore,
  tenantId: string,
  lines: readonly ShortLine[],
  supplierFallback: string | undefined,
): Promise<Map<string | null, PurchaseOrder['items']>> {
  const stocked = new Map<string, string | null>();
  for (const line of lines) {
    if (!line.supplier) stocked.set(line.sku, (await inventory.get(tenantId, line.sku))?.supplier ?? null);
  }
  return groupBySupplier(lines, (sku) => stocked.get(sku) ?? null, supplierFallback);
}

/** The same grouping, with each SKU's inventory supplier already known. */
export function groupBySupplier(
  lines: readonly ShortLine[],
  stockedSupplier: (sku: string) => string | null,
  supplierFallback: string | undefined,
): Map<string | null, PurchaseOrder['items']> {
  const grouped = new Map<string | null, PurchaseOrder['items']>();
  for (const line of lines) {
    const supplier = line.supplier ?? stockedSupplier(line.sku) ?? supplierFallback ?? null;
    const items = grouped.get(supplier) ?? [];
    items.push({ sku: line.sku, ...(line.name ? { name: line.name } : {}), quantity: line.quantity });
    grouped.set(supplier, items);
  }
  return grouped;
}
