import { buildEvent, type NewEvent } from '../events/catalog.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';
import { callHttpUndo, type HttpActionOptions } from './http.js';
import { releaseInventory } from './inventory.js';
import type { InventoryStore } from './inventory-store.js';
import type { LaborTaskStore } from './labor-task-store.js';
import type { PurchaseOrderStore } from './purchase-order-store.js';

export interface CompensationStores extends HttpActionOptions {
  inventory: InventoryStore;
  purchaseOrders: PurchaseOrderStore;
  laborTasks: LaborTaskStore;
}

/**
 * Undoes, newest first, what this order's earlier actions left in place: the `http` calls
 * that declared an `undo` (a signed undo request), open labor tasks, open purchase
 * orders (`purchase_order.cancelled`), then the stock it reserved. Each step is idempotent on
 * its own (a cancellation is a conditional write, a release deletes its reservation, an undo
 * leaves the order's pending list when this action's success commits), so a retry or a
 * second run redoes nothing. A failed undo call is thrown: the action's retry and onError decide.
 */
export async function compensate(stores: CompensationStores, context: ActionContext): Promise<ActionOutcome> {
  const { tenantId, order, now } = context;
  const at = now.toISOString();
  const undone: string[] = [];
  for (const undo of [...(order.pendingUndo ?? [])].reverse()) {
    await callHttpUndo(stores, context, undo);
    undone.push(`${undo.entry}:${undo.actionId}`);
  }
  const cancelledTasks: string[] = [];
  for (const task of await stores.laborTasks.allOfOrder(tenantId, order.id)) {
    if (task.status !== 'cancelled' && (await stores.laborTasks.cancel(tenantId, task, at)))
      cancelledTasks.push(task.id);
  }
  const events: NewEvent[] = [];
  const cancelledPurchaseOrders: string[] = [];
  for (const purchaseOrder of await stores.purchaseOrders.allOfOrder(tenantId, order.id)) {
    if (purchaseOrder.status === 'cancelled') continue;
    if (!(await stores.purchaseOrders.cancel(tenantId, purchaseOrder, at))) continue;
    cancelledPurchaseOrders.push(purchaseOrder.id);
    const cancelled = { ...purchaseOrder, status: 'cancelled' as const, cancelledAt: at };
    events.push(
      buildEvent('purchase_order.cancelled', { type: 'system' }, { order, purchaseOrder: cancelled }),
    );
  }
  const { result: released } = await releaseInventory(stores.inventory, context);
  const undoneIds = new Set(undone);
  return {
    // Only the undos this run made leave the list; one added meanwhile stays for the next run.
    apply: (fresh) => ({
      ...fresh,
      pendingUndo: (fresh.pendingUndo ?? []).filter(
        (undo) => !undoneIds.has(`${undo.entry}:${undo.actionId}`),
      ),
    }),
    result: {
      undone,
      cancelledLaborTasks: cancelledTasks,
      cancelledPurchaseOrders,
      released: (released as { released: unknown[] } | undefined)?.released ?? [],
    },
    events,
  };
}
