import type { Principal } from '../auth/api-keys.js';
import { problems } from '../problem.js';
import { ConflictError } from '../store/errors.js';
import type {
  IdempotencyCompletion,
  OrderRecord,
  OrderStore,
  PageKey,
  PendingSignal,
} from '../store/order-store.js';
import type { Workflow } from '../workflow/schema.js';
import { applyPatch, assertEditable, newOrder } from './order.js';
import type {
  Actor,
  CreateOrderRequest,
  ListOrdersQuery,
  Order,
  OrderEvent,
  PatchOrderRequest,
  TransitionRequest,
} from './schema.js';
import { executionState, planManualTransition } from './transitions.js';
import type { WorkflowEngine } from './workflow-engine.js';
import type { PinnedWorkflow, WorkflowSource } from './workflow-source.js';

/** How often a transition is re-planned on a fresh read when a system write got in first. */
const TRANSITION_ATTEMPTS = 3;
const SIGNAL_ATTEMPTS = 3;

export function actorOf(principal: Principal): Actor {
  return { type: 'key', keyId: principal.keyId, role: principal.role };
}

/** Orders: the rules of creating, reading and editing them, independent of HTTP and of DynamoDB. */
export class OrderService {
  constructor(
    private readonly store: OrderStore,
    private readonly workflows: WorkflowSource<Workflow>,
    private readonly engine: WorkflowEngine,
    private readonly clock: () => Date = () => new Date(),
    private readonly onSignalError: (error: unknown) => void = () => undefined,
  ) {}

  private async pinned(tenantId: string, order: Order): Promise<PinnedWorkflow<Workflow>> {
    const pinned = await this.workflows.version(tenantId, order.workflow.version);
    if (!pinned)
      throw new Error(`Workflow version ${order.workflow.version} of tenant ${tenantId} is missing.`);
    return pinned;
  }

  async create(
    principal: Principal,
    request: CreateOrderRequest,
    respond: (order: Order) => IdempotencyCompletion | undefined,
  ): Promise<Order> {
    const pinned = await this.workflows.active(principal.tenantId);
    const order = newOrder({
      request,
      stage: pinned.workflow.initialStage,
      workflowVersion: pinned.version,
      now: this.clock(),
    });
    await this.store.create(
      principal.tenantId,
      order,
      [{ type: 'order.created', actor: actorOf(principal), data: { order } }],
      respond(order),
    );
    await this.engine.start({
      tenantId: principal.tenantId,
      orderId: order.id,
      workflowVersion: pinned.version,
      ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
      attempt: 0,
      state: executionState(principal.tenantId, order, 1),
    });
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
    const pinned = await this.pinned(principal.tenantId, order);
    const stage = pinned.workflow.stages.find((candidate) => candidate.id === order.stage);
    assertEditable(order, stage?.editable === true, ifMatchVersion);
    const { order: next, changed } = applyPatch(order, patch, this.clock());
    if (changed.length === 0) return order;
    try {
      await this.store.update(principal.tenantId, record, {
        order: next,
        events: [{ type: 'order.updated', actor: actorOf(principal), data: { order: next, changed } }],
      });
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

  /**
   * Moves the order on a manual transition: one conditional write of the new stage and its
   * events, then the waiting execution is signalled. The signal is stored with the change,
   * so a signal that cannot be delivered now is delivered later, never lost.
   */
  async transition(
    principal: Principal,
    orderId: string,
    request: TransitionRequest,
    ifMatchVersion: number | undefined,
  ): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.store.get(principal.tenantId, orderId);
      if (!record) throw problems.notFound(`Order ${orderId}`);
      const { workflow } = await this.pinned(principal.tenantId, record.order);
      const plan = planManualTransition({
        record,
        workflow,
        request,
        principal,
        actor: actorOf(principal),
        ifMatchVersion,
        now: this.clock(),
      });
      const signal =
        record.taskToken && record.taskTokenStage === record.order.stage
          ? {
              token: record.taskToken,
              output: { ...executionState(principal.tenantId, plan.order, record.entry + 1) },
            }
          : undefined;
      try {
        await this.store.update(principal.tenantId, record, {
          order: plan.order,
          events: plan.events,
          enterStage: true,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        if (ifMatchVersion !== undefined) {
          throw problems.preconditionFailed('The order changed meanwhile; fetch it again and retry.');
        }
        // Re-plan on what is there now: another transition makes this one a 409, an action's write does not.
        if (attempt < TRANSITION_ATTEMPTS) continue;
        throw problems.conflict('The order is changing too quickly; retry.');
      }
      if (signal) await this.deliverSignal(principal.tenantId, orderId, signal);
      return plan.order;
    }
  }

  /** Sends a stored signal to the execution and forgets it once delivered; kept for later otherwise. */
  async deliverSignal(tenantId: string, orderId: string, signal: PendingSignal): Promise<boolean> {
    for (let attempt = 1; attempt <= SIGNAL_ATTEMPTS; attempt++) {
      try {
        await this.engine.signal(signal.token, signal.output as never);
        await this.store.clearSignal(tenantId, orderId, signal.token);
        return true;
      } catch (error) {
        if (attempt === SIGNAL_ATTEMPTS) this.onSignalError(error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return false;
  }

  /** Re-sends the signal an order still owes its execution (after a crash or an outage). */
  async redeliverPendingSignal(tenantId: string, record: OrderRecord): Promise<void> {
    if (record.pendingSignal) await this.deliverSignal(tenantId, record.order.id, record.pendingSignal);
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
