import type { ActionContext, ActionOutcome, ActionRunner } from '../orders/actions.js';
import type { HostLookup } from '../webhooks/url-safety.js';
import { compensate } from './compensate.js';
import { type EmailActionDeps, sendEmailAction } from './email.js';
import { callHttpAction } from './http.js';
import { releaseInventory, reserveInventory } from './inventory.js';
import type { InventoryStore } from './inventory-store.js';
import { scheduleLabor } from './labor.js';
import type { LaborTaskStore } from './labor-task-store.js';
import { notify } from './notify.js';
import type { PurchaseOrderStore } from './purchase-order-store.js';
import { createPurchaseOrders } from './purchase-orders.js';
import type { ActionSigningSecrets } from './signing.js';

export interface BuiltInActionRunnerOptions {
  inventory: InventoryStore;
  purchaseOrders: PurchaseOrderStore;
  laborTasks: LaborTaskStore;
  /** Signs `http` action requests per tenant. */
  signing: ActionSigningSecrets;
  /** Lets `http` actions call http://127.0.0.1 (local stack only). */
  allowLocal: boolean;
  /** Where `email` actions find recipients, record their sends and send; a runtime without it refuses them. */
  email?: EmailActionDeps;
  /** Replaces DNS for `http` actions (tests). */
  lookup?: HostLookup;
}

/**
 * Runs the built-in action types of workflow-format.md. `context.order` must already carry
 * the outcomes of the entry's earlier actions (purchase_order.create reads the backordered
 * counts that inventory.reserve set). `wait` never gets here: it compiles to a Wait state.
 */
export class BuiltInActionRunner implements ActionRunner {
  constructor(private readonly options: BuiltInActionRunnerOptions) {}

  async run(context: ActionContext): Promise<ActionOutcome> {
    const { inventory, purchaseOrders, laborTasks } = this.options;
    switch (context.action.type) {
      case 'inventory.reserve':
        return reserveInventory(inventory, context);
      case 'inventory.release':
        return releaseInventory(inventory, context);
      case 'purchase_order.create':
        return createPurchaseOrders({ purchaseOrders, inventory }, context);
      case 'labor.schedule':
        return scheduleLabor(laborTasks, context);
      case 'http':
        return callHttpAction(this.options, context);
      case 'notify':
        return notify(context);
      case 'email':
        if (!this.options.email) throw new Error('This runtime has no mail service for email actions.');
        return sendEmailAction(this.options.email, context);
      case 'compensate':
        return compensate(this.options, context);
    }
  }
}
