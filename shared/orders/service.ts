import type { Principal } from '../auth/api-keys.js';
import { problems } from '../problem.js';
import { ConflictError } from '../store/errors.js';
import type { IdempotencyCompletion, OrderStore, PageKey } from '../store/order-store.js';
import { applyPatch, assertEditable, newOrder } from './order.js';
import type {
  Actor,
  CreateOrderRequest,
  ListOrdersQuery,
  Order,
  OrderEvent,
  PatchOrderRequest,
} from './schema.js';
import type { WorkflowSource } from './workflow-source.js';

export function actorOf(principal: Principal): Actor {
  return { type: 'key', keyId: principal.keyId, role: principal.role };
}

/** Orders: the rules of creating, reading and editing them, independent of HTTP and of DynamoDB. */
export class OrderService {
  constructor(
    private readonly store: OrderStore,
    private readonly workflows: WorkflowSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(
    principal: Principal,
    request: CreateOrderRequest,
    respond: (order: Order) => IdempotencyCompletion | undefined,
  ): Promise<Order> {
    const { version, workflow } = await this.workflows.active(principal.tenantId);
    const order = newOrder({
      request,
      stage: workflow.initialStage,
      workflowVersion: version,
      now: this.clock(),
    });
    await this.store.create(
      principal.tenantId,
      order,
      [{ type: 'order.created', actor: actorOf(principal), data: { order } }],
      respond(order),
    );
    return order;
  }

  async get(tenantId: string, orderId: string): Promise<Order> {
    const record = await this.store.get(tenantId, orderId);
    if (!record) throw problems.notFound(`Order ${orderId}`);
    return record.order;
  }

  /**
   * Applies a merge-patch. With If-Match the caller's version must be current; without it
   * the change is applied to the version just read and a concurrent writer makes it a 409,
   * so no update is ever silently lost.
   */
  async patch(
    principal: Principal,
    orderId: string,
    patch: PatchOrderRequest,
    ifMatchVersion: number | undefined,
  ): Promise<Order> {
    const record = await this.store.get(principal.tenantId, orderId);
    if (!record) throw problems.notFound(`Order ${orderId}`);
    const { order } = record;
    const pinned = await this.workflows.version(principal.tenantId, order.workflow.version);
    const stage = pinned?.workflow.stages.find((candidate) => candidate.id === order.stage);
    assertEditable(order, stage?.editable === true, ifMatchVersion);
    const { order: next, changed } = applyPatch(order, patch, this.clock());
    if (changed.length === 0) return order;
    try {
      await this.store.update(
        principal.tenantId,
        next,
        { version: order.version, lastSequence: record.lastSequence, stage: order.stage },
        [{ type: 'order.updated', actor: actorOf(principal), data: { order: next, changed } }],
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (ifMatchVersion !== undefined) {
        throw problems.preconditionFailed('The order changed meanwhile; fetch it again and retry.');
      }
      throw problems.conflict(
        'The order was changed by another request at the same time; fetch it and retry.',
      );
    }
    return next;
  }

  list(
    tenantId: string,
    query: Omit<ListOrdersQuery, 'cursor'>,
    after?: PageKey,
  ): Promise<{ orders: Order[]; lastKey?: PageKey }> {
    return this.store.list(tenantId, query, after);
  }

  async events(
    tenantId: string,
    orderId: string,
    limit: number,
    afterSequence?: number,
  ): Promise<{ events: OrderEvent[]; hasMore: boolean }> {
    const page = await this.store.listEvents(tenantId, orderId, limit, afterSequence);
    if (page.events.length === 0 && !(await this.store.get(tenantId, orderId))) {
      throw problems.notFound(`Order ${orderId}`);
    }
    return page;
  }
}
