import type { InventoryStore } from '../actions/inventory-store.js';
import { bySupplier } from '../actions/purchase-orders.js';
import type { PurchaseOrder } from '../actions/schema.js';
import type { Principal } from '../auth/api-keys.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import type { IdempotencyCompletion, OrderRecord, OrderStore, PageKey } from '../orders/order-store.js';
import type { Order } from '../orders/schema.js';
import { actorOf, deliverSignal, recheckSignal } from '../orders/service.js';
import { stageOf } from '../orders/transitions.js';
import type { WorkflowEngine } from '../orders/workflow-engine.js';
import type { WorkflowSource } from '../orders/workflow-source.js';
import { problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import type { ChangeStore } from './change-store.js';
import { type PlannedChange, planChange } from './preview.js';
import type { ChangePatch, ProposeChangeRequest, ProposedChange } from './schema.js';

/** A write that lost a race re-reads and plans again this often before answering 409. */
const ATTEMPTS = 5;

/**
 * A proposed change expires when the order leaves the stage entry it was proposed in. It is
 * derived when read rather than written on stage entry: a transition then need not find and
 * rewrite an unbounded number of change records inside its own transaction, and no expiry
 * can be missed or late, because the order record that decides it is read with every change.
 */
export function withExpiry(change: ProposedChange, record: OrderRecord): ProposedChange {
  const left = record.order.stage !== change.stage || record.entry !== change.entry;
  return change.status === 'proposed' && left ? { ...change, status: 'expired' } : change;
}

type Respond<T> = (result: T) => IdempotencyCompletion | undefined;

/** Changes after confirmation: proposed by anyone who may write orders, applied or rejected by an approver. */
export class ChangeService {
  constructor(
    private readonly orders: OrderStore,
    private readonly changes: ChangeStore,
    private readonly inventory: InventoryStore,
    private readonly workflows: WorkflowSource<Workflow>,
    private readonly engine: WorkflowEngine,
    private readonly clock: () => Date = () => new Date(),
    private readonly onSignalError: (error: unknown) => void = () => undefined,
  ) {}

  private async read(
    tenantId: string,
    orderId: string,
  ): Promise<{ record: OrderRecord; workflow: Workflow }> {
    const record = await this.orders.get(tenantId, orderId);
    if (!record) throw problems.notFound(`Order ${orderId}`);
    const pinned = await this.workflows.version(tenantId, record.order.workflow.version);
    if (!pinned) throw new Error(`Workflow version ${record.order.workflow.version} is missing.`);
    return { record, workflow: pinned.workflow };
  }

  private async readChange(tenantId: string, record: OrderRecord, changeId: string): Promise<ProposedChange> {
    const change = await this.changes.get(tenantId, record.order.id, changeId);
    if (!change) throw problems.notFound(`Change ${changeId} of order ${record.order.id}`);
    return withExpiry(change, record);
  }

  /** Plans the patch on the order as it is now: its reservations and the stock of the lines it alters. */
  private async plan(tenantId: string, order: Order, patch: ChangePatch, now: Date): Promise<PlannedChange> {
    const reservations = await this.inventory.reservationsOf(tenantId, order.id);
    const draft = planChange({ order, patch, reservations, available: new Map(), now });
    if (reservations.length === 0) return draft;
    const available = new Map<string, number>();
    for (const line of draft.preview.lines) {
      if (line.to > line.from) {
        available.set(line.sku, (await this.inventory.get(tenantId, line.sku))?.available ?? 0);
      }
    }
    return planChange({ order, patch, reservations, available, now });
  }

  /** Commits, answering false when a condition failed (the caller reads again and decides). */
  private async commit(...args: Parameters<ChangeStore['commit']>): Promise<boolean> {
    try {
      await this.changes.commit(...args);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /**
   * Stores the change with its preview, in any stage but a final one. The order itself does not
   * change (its version stays the change's base); only its history gains `order.change_proposed`.
   */
  async propose(
    principal: Principal,
    orderId: string,
    request: ProposeChangeRequest,
    respond: Respond<ProposedChange>,
  ): Promise<ProposedChange> {
    for (let attempt = 1; ; attempt++) {
      const { record, workflow } = await this.read(principal.tenantId, orderId);
      const { order } = record;
      if (stageOf(workflow, order.stage).final) {
        throw problems.conflict(
          `The order is in the final stage "${order.stage}"; it can no longer change.`,
          {
            stage: order.stage,
          },
        );
      }
      const now = this.clock();
      const { preview } = await this.plan(principal.tenantId, order, request.patch, now);
      const change: ProposedChange = {
        id: newId('chg', now.getTime()),
        orderId,
        status: 'proposed',
        baseVersion: order.version,
        stage: order.stage,
        entry: record.entry,
        patch: request.patch,
        ...(request.note !== undefined ? { note: request.note } : {}),
        preview,
        proposedAt: now.toISOString(),
        proposedBy: actorOf(principal),
      };
      const idempotency = respond(change);
      const written = await this.commit(
        principal.tenantId,
        record,
        {
          order,
          events: [{ type: 'order.change_proposed', actor: actorOf(principal), data: { order, change } }],
          at: change.proposedAt,
          ...(idempotency ? { idempotency } : {}),
        },
        { change },
      );
      if (written) return change;
      if (attempt >= ATTEMPTS) throw problems.conflict('The order kept changing meanwhile; retry.');
    }
  }

  async list(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ changes: ProposedChange[]; lastKey?: PageKey }> {
    const { record } = await this.read(tenantId, orderId);
    const page = await this.changes.listOfOrder(tenantId, orderId, limit, after);
    return { ...page, changes: page.changes.map((change) => withExpiry(change, record)) };
  }

  /** A decision needs a change still proposed, on an order still where it was proposed. */
  private assertOpen(change: ProposedChange): void {
    if (change.status !== 'proposed') {
      throw problems.conflict(`The change is ${change.status}; only a proposed change can be decided.`, {
        changeStatus: change.status,
      });
    }
  }

  async reject(
    principal: Principal,
    orderId: string,
    changeId: string,
    note: string | undefined,
    respond: Respond<ProposedChange>,
  ): Promise<ProposedChange> {
    for (let attempt = 1; ; attempt++) {
      const { record } = await this.read(principal.tenantId, orderId);
      const change = await this.readChange(principal.tenantId, record, changeId);
      this.assertOpen(change);
      const rejected: ProposedChange = {
        ...change,
        status: 'rejected',
        decidedAt: this.clock().toISOString(),
        decidedBy: actorOf(principal),
        ...(note !== undefined ? { decisionNote: note } : {}),
      };
      const idempotency = respond(rejected);
      const { order } = record;
      const written = await this.commit(
        principal.tenantId,
        record,
        {
          order,
          events: [
            { type: 'order.change_rejected', actor: actorOf(principal), data: { order, change: rejected } },
          ],
          at: rejected.decidedAt,
          ...(idempotency ? { idempotency } : {}),
        },
        { change: rejected, expectedStatus: 'proposed' },
      );
      if (written) return rejected;
      if (attempt >= ATTEMPTS) throw problems.conflict('The order kept changing meanwhile; retry.');
    }
  }

  /**
   * Applies the change in one transaction conditioned on the order still being at the change's
   * base version: the order, its resized reservations, purchase orders for a new shortfall (when
   * the stage raised purchase orders), the change's status and `order.change_applied`. A moved
   * order is a 409 with nothing written; so is a second change on the same base once one won.
   */
  async apply(
    principal: Principal,
    orderId: string,
    changeId: string,
    respond: Respond<Order>,
  ): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      const { record, workflow } = await this.read(principal.tenantId, orderId);
      const change = await this.readChange(principal.tenantId, record, changeId);
      this.assertOpen(change);
      const { order } = record;
      if (order.version !== change.baseVersion) {
        throw problems.conflict(
          `The order is at version ${order.version}; the change was proposed on version ${change.baseVersion}. Nothing was applied: propose it again on the current order.`,
          { version: order.version, baseVersion: change.baseVersion },
        );
      }
      if (order.actions.state === 'running') {
        throw problems.conflict("The stage's actions are still running; apply the change once they finish.", {
          actions: order.actions,
        });
      }
      const now = this.clock();
      const plan = await this.plan(principal.tenantId, order, change.patch as ChangePatch, now);
      const applied: ProposedChange = {
        ...change,
        status: 'applied',
        decidedAt: now.toISOString(),
        decidedBy: actorOf(principal),
        appliedVersion: plan.order.version,
        applied: plan.preview,
      };
      const purchaseOrders = await this.purchaseOrdersFor(
        principal.tenantId,
        record,
        workflow,
        plan,
        changeId,
        now,
      );
      const signal = recheckSignal(principal.tenantId, record, workflow, plan.order);
      const idempotency = respond(plan.order);
      const written = await this.commit(
        principal.tenantId,
        record,
        {
          order: plan.order,
          events: [
            {
              type: 'order.change_applied',
              actor: actorOf(principal),
              data: { order: plan.order, change: applied, changed: plan.changed },
            },
          ],
          ...(signal ? { signal } : {}),
          ...(idempotency ? { idempotency } : {}),
        },
        {
          change: applied,
          expectedStatus: 'proposed',
          reservations: { adjustments: plan.adjustments, reservedAt: now.toISOString() },
          purchaseOrders,
        },
      );
      if (written) {
        if (signal) await deliverSignal(this.engine, signal, this.onSignalError);
        return plan.order;
      }
      // Lost a race: the next read tells whether the order moved on (409) or stock did (plan again).
      if (attempt >= ATTEMPTS)
        throw problems.conflict('The order or its stock kept changing meanwhile; retry.');
    }
  }

  /**
   * When this stage entry raised purchase orders (its `purchase_order.create` succeeded), a new
   * shortfall gets its own, one per supplier; their keys name the change, so they exist once.
   */
  private async purchaseOrdersFor(
    tenantId: string,
    record: OrderRecord,
    workflow: Workflow,
    plan: PlannedChange,
    changeId: string,
    now: Date,
  ): Promise<PurchaseOrder[]> {
    if (plan.shortfalls.length === 0) return [];
    const action = stageOf(workflow, record.order.stage).onEnter.find(
      (candidate) =>
        candidate.type === 'purchase_order.create' &&
        record.actionResults[candidate.id ?? '']?.entry === record.entry &&
        record.actionResults[candidate.id ?? '']?.status === 'succeeded',
    );
    if (!action?.id) return [];
    const fallback = 'supplierFallback' in action ? action.supplierFallback : undefined;
    const grouped = await bySupplier(this.inventory, tenantId, plan.shortfalls, fallback);
    return [...grouped].map(([supplier, items]) => ({
      id: newId('po', now.getTime()),
      supplier,
      items,
      orderId: record.order.id,
      stage: record.order.stage,
      entry: record.entry,
      actionId: action.id as string,
      changeId,
      createdAt: now.toISOString(),
    }));
  }
}
