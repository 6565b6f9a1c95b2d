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
  const bySupplier = new Map<string | null, PurchaseOrder['items']>();
  for (const item of order.items) {
    if (item.backordered <= 0) continue;
    const supplier =
      item.supplier ?? (await stores.inventory.get(tenantId, item.sku))?.supplier ?? supplierFallback ?? null;
    const lines = bySupplier.get(supplier) ?? [];
    lines.push({ sku: item.sku, ...(item.name ? { name: item.name } : {}), quantity: item.backordered });
    bySupplier.set(supplier, lines);
  }
  const created: PurchaseOrder[] = [];
  for (const [supplier, items] of bySupplier) {
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
