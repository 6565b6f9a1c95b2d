import type { InventoryStore } from '../actions/inventory-store.js';
import type { Principal } from '../auth/api-keys.js';
import {
  type ConflictPolicy,
  jitteredBackoff,
  OrderChangeRunner,
  type PlanInput,
  type PlannedChange,
  retryOnConflict,
} from '../orders/change-runner.js';
import type { IdempotencyCompletion, OrderStore, PageKey } from '../orders/order-store.js';
import type { Order } from '../orders/schema.js';
import type { WorkflowEngine } from '../orders/workflow-engine.js';
import type { WorkflowSource } from '../orders/workflow-source.js';
import { problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import type { ChangeStore } from './change-store.js';
import {
  planApplication,
  planProposal,
  planRejection,
  type StockRead,
  skusToRead,
  withExpiry,
} from './plans.js';
import type { ChangePatch, ProposeChangeRequest, ProposedChange } from './schema.js';

type Respond<T> = (result: T) => IdempotencyCompletion | undefined;

/**
 * A lost race reads everything again (the order, its reservations and stock) and plans anew;
 * the planner itself turns a moved order into a 409, so only stock that moved is retried.
 */
const RACES: ConflictPolicy = {
  attempts: 5,
  exhausted: () => problems.conflict('The order or its stock kept changing meanwhile; retry.'),
  backoffMs: jitteredBackoff(10, 200),
};
/** Inside one read: a conflict goes back to RACES, which reads the stock again too. */
const ONE_WRITE: ConflictPolicy = { attempts: 1, exhausted: (conflict) => conflict };

/** Changes after confirmation: proposed by anyone who may write orders, applied or rejected by an approver. */
export class ChangeService {
  private readonly runner: OrderChangeRunner;

  constructor(
    orders: OrderStore,
    private readonly changes: ChangeStore,
    private readonly inventory: InventoryStore,
    workflows: WorkflowSource<Workflow>,
    engine: WorkflowEngine,
    clock: () => Date = () => new Date(),
    onSignalError: (error: unknown) => void = () => undefined,
  ) {
    this.runner = new OrderChangeRunner(orders, workflows, {
      engine,
      clock,
      onSignalError,
      missing: (orderId) => problems.notFound(`Order ${orderId}`),
    });
  }

  private async stockFor(tenantId: string, order: Order, patch: ChangePatch): Promise<StockRead> {
    const reservations = await this.inventory.reservationsOf(tenantId, order.id);
    const levels = new Map<string, { available: number; supplier: string | null }>();
    for (const sku of skusToRead(order, patch, reservations)) {
      const level = await this.inventory.get(tenantId, sku);
      levels.set(sku, { available: level?.available ?? 0, supplier: level?.supplier ?? null });
    }
    return { reservations, levels };
  }

  private async readChange(tenantId: string, orderId: string, changeId: string): Promise<ProposedChange> {
    const change = await this.changes.get(tenantId, orderId, changeId);
    if (!change) throw problems.notFound(`Change ${changeId} of order ${orderId}`);
    return change;
  }

  /**
   * Reads the order, then what the planner needs beside it, then writes once; a lost race
   * starts again from the reads.
   */
  private async runFresh<T>(
    tenantId: string,
    orderId: string,
    plan: (read: Omit<PlanInput, 'now'>) => Promise<(input: PlanInput) => T>,
    pick: (planned: T) => PlannedChange,
  ): Promise<T> {
    return retryOnConflict(RACES, async () => {
      const read = await this.runner.read(tenantId, orderId);
      const planner = await plan(read);
      let result: T | undefined;
      await this.runner.run(
        tenantId,
        orderId,
        (input) => {
          result = planner(input);
          return pick(result);
        },
        ONE_WRITE,
        read,
      );
      return result as T;
    });
  }

  async propose(
    principal: Principal,
    orderId: string,
    request: ProposeChangeRequest,
    respond: Respond<ProposedChange>,
  ): Promise<ProposedChange> {
    const planned = await this.runFresh(
      principal.tenantId,
      orderId,
      async ({ record }) => {
        const stock = await this.stockFor(principal.tenantId, record.order, request.patch);
        return (input: PlanInput) => planProposal({ ...input, principal, request, stock, respond });
      },
      (result) => result.planned,
    );
    return planned.change;
  }

  async list(
    tenantId: string,
    orderId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ changes: ProposedChange[]; lastKey?: PageKey }> {
    const { record } = await this.runner.read(tenantId, orderId);
    const page = await this.changes.listOfOrder(tenantId, orderId, limit, after);
    return { ...page, changes: page.changes.map((change) => withExpiry(change, record)) };
  }

  async reject(
    principal: Principal,
    orderId: string,
    changeId: string,
    note: string | undefined,
    respond: Respond<ProposedChange>,
  ): Promise<ProposedChange> {
    const planned = await this.runFresh(
      principal.tenantId,
      orderId,
      async () => {
        const change = await this.readChange(principal.tenantId, orderId, changeId);
        return (input: PlanInput) =>
          planRejection({ ...input, principal, change, respond, ...(note !== undefined ? { note } : {}) });
      },
      (result) => result.planned,
    );
    return planned.change;
  }

  /** Applies the change (see planApplication); stock that moved between read and write is read again. */
  async apply(
    principal: Principal,
    orderId: string,
    changeId: string,
    respond: Respond<Order>,
  ): Promise<Order> {
    const planned = await this.runFresh(
      principal.tenantId,
      orderId,
      async ({ record }) => {
        const change = await this.readChange(principal.tenantId, orderId, changeId);
        const stock = await this.stockFor(principal.tenantId, record.order, change.patch as ChangePatch);
        return (input: PlanInput) => planApplication({ ...input, principal, change, stock, respond });
      },
      (result) => result,
    );
    return planned.change.order;
  }
}
