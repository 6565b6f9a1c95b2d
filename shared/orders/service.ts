import type { Principal } from '../auth/api-keys.js';
import { ConflictError } from '../errors.js';
import { problems } from '../problem.js';
import { rechecksOnChange } from '../workflow/compile.js';
import type { Workflow } from '../workflow/schema.js';
import { parkedWait, planPlaceHold, planReleaseHold } from './holds.js';
import { applyPatch, applyProgress, assertEditable, type LineRef, newOrder } from './order.js';
import type {
  IdempotencyCompletion,
  OrderChange,
  OrderRecord,
  OrderStore,
  PageKey,
  PendingSignal,
} from './order-store.js';
import { planReturnRequest, planReturnStep, type ReturnStep } from './returns.js';
import type {
  Actor,
  CreateOrderRequest,
  Hold,
  ItemProgressRequest,
  ListOrdersQuery,
  Order,
  OrderEvent,
  OrderReturn,
  PatchOrderRequest,
  PlaceHoldRequest,
  RequestReturnRequest,
  ShipmentRecord,
  ShipmentRequest,
  TransitionRequest,
} from './schema.js';
import { executionState, planManualTransition, planShipment, stageOf } from './transitions.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { type PinnedWorkflow, type WorkflowSource, workflowRefOf } from './workflow-source.js';

/** How often a transition is re-planned on a fresh read when a system write got in first. */
const TRANSITION_ATTEMPTS = 3;
/** Progress on different lines of one order may arrive together; each re-reads and retries. */
const PROGRESS_ATTEMPTS = 8;
const SIGNAL_ATTEMPTS = 3;
/** Holds and shipments are re-planned on a fresh read this often when another write got in first. */
const CHANGE_ATTEMPTS = 8;

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
    const { version, revision } = workflowRefOf(order);
    const pinned = await this.workflows.version(tenantId, version, revision);
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
      ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
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
      ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
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
    const signal = recheckSignal(principal.tenantId, record, pinned.workflow, next);
    await this.clientWrite(
      principal.tenantId,
      record,
      {
        order: next,
        events: [{ type: 'order.updated', actor: actorOf(principal), data: { order: next, changed } }],
        ...(signal ? { signal } : {}),
      },
      ifMatchVersion,
      false,
    );
    if (signal) await this.deliverSignal(signal);
    return next;
  }

  /**
   * Records an item's or a service's progress, in any stage but a final one (editable or
   * not). With If-Match the caller's version must be current (412); without it a concurrent
   * write makes it re-read and apply the progress again, so progress on different lines of
   * one order arriving together is never lost. An order waiting where auto transitions may
   * now hold has them re-checked (the signal is stored with the change).
   */
  async progress(
    principal: Principal,
    orderId: string,
    line: LineRef,
    request: ItemProgressRequest,
    ifMatchVersion: number | undefined,
  ): Promise<Order> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.store.get(principal.tenantId, orderId);
      if (!record) throw problems.notFound(`Order ${orderId}`);
      const { order } = record;
      if (ifMatchVersion !== undefined && ifMatchVersion !== order.version) {
        throw problems.preconditionFailed(
          `The order is at version ${order.version}, not ${ifMatchVersion}; fetch it again and retry.`,
        );
      }
      const { workflow } = await this.pinned(principal.tenantId, order);
      if (stageOf(workflow, order.stage).final) {
        throw problems.conflict(
          `The order is in the final stage "${order.stage}"; its lines cannot change.`,
          {
            stage: order.stage,
          },
        );
      }
      const applied = applyProgress(order, line, request, this.clock());
      if (!applied.changed) return order;
      const next = applied.order;
      const signal = recheckSignal(principal.tenantId, record, workflow, next);
      const data = {
        order: next,
        ...(line.kind === 'item' ? { sku: line.sku } : { code: line.code }),
        status: request.status,
        ...(applied.quantity !== undefined ? { quantity: applied.quantity } : {}),
      };
      const written = await this.clientWrite(
        principal.tenantId,
        record,
        {
          order: next,
          events: [{ type: 'order.item_progressed', actor: actorOf(principal), data }],
          ...(signal ? { signal } : {}),
        },
        ifMatchVersion,
        attempt < PROGRESS_ATTEMPTS,
      );
      if (!written) {
        // A little jitter, so that writers racing on one order do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        continue;
      }
      if (signal) await this.deliverSignal(signal);
      return next;
    }
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
        record.taskToken && parkedWait(record)?.stage === record.order.stage
          ? {
              token: record.taskToken,
              output: executionState(principal.tenantId, plan.order, record.entry + 1),
            }
          : undefined;
      // An execution that stopped on a failed action cannot be signalled: a new one takes over.
      const restart = record.halted ? record.attempt + 1 : undefined;
      const written = await this.clientWrite(
        principal.tenantId,
        record,
        {
          order: plan.order,
          events: plan.events,
          enterStage: true,
          ...(signal ? { signal } : {}),
          ...(restart !== undefined ? { attempt: restart } : {}),
        },
        ifMatchVersion,
        attempt < TRANSITION_ATTEMPTS,
      );
      // Re-plan on what is there now: another transition makes this one a 409, an action's write does not.
      if (!written) continue;
      if (signal) await this.deliverSignal(signal);
      if (restart !== undefined)
        await this.startExecution(principal.tenantId, plan.order, record.entry + 1, restart);
      return plan.order;
    }
  }

  /**
   * Places a hold: one conditional write that moves the order's version on, so a transition
   * or an automatic move planned on the order before it cannot commit after it.
   */
  placeHold(principal: Principal, orderId: string, request: PlaceHoldRequest): Promise<Hold> {
    return this.clientChange(principal, orderId, (record, workflow) => {
      const plan = planPlaceHold({ record, workflow, request, actor: actorOf(principal), now: this.clock() });
      return { change: { order: plan.order, events: plan.events }, result: plan.hold };
    });
  }

  /** Releases a hold; the last one's release lets the execution re-check its moves. */
  releaseHold(principal: Principal, orderId: string, holdId: string): Promise<Order> {
    return this.clientChange(principal, orderId, (record, workflow) => {
      const plan = planReleaseHold({
        tenantId: principal.tenantId,
        record,
        holdId,
        actor: actorOf(principal),
        now: this.clock(),
        recheck: (next) => recheckSignal(principal.tenantId, record, workflow, next),
      });
      return {
        change: { order: plan.order, events: plan.events, ...(plan.signal ? { signal: plan.signal } : {}) },
        result: plan.order,
      };
    });
  }

  /**
   * Records a shipment in a stage that takes them: the shipment and each item's shipped
   * quantity in one conditional write; a waiting execution re-checks its auto transitions
   * (`allItemsShipped`).
   */
  ship(principal: Principal, orderId: string, request: ShipmentRequest): Promise<ShipmentRecord> {
    return this.clientChange(principal, orderId, (record, workflow) => {
      const plan = planShipment({ record, workflow, request, actor: actorOf(principal), now: this.clock() });
      const signal = recheckSignal(principal.tenantId, record, workflow, plan.order);
      return {
        change: { order: plan.order, events: plan.events, ...(signal ? { signal } : {}) },
        result: plan.shipment,
      };
    });
  }

  /** Requests a return of shipped units, in any stage (final ones included). */
  requestReturn(principal: Principal, orderId: string, request: RequestReturnRequest): Promise<OrderReturn> {
    return this.clientChange(principal, orderId, (record) => {
      const plan = planReturnRequest({
        order: record.order,
        request,
        actor: actorOf(principal),
        now: this.clock(),
      });
      return { change: { order: plan.order, events: plan.events }, result: plan.returned };
    });
  }

  /** Moves a return on; a restock commits with it, in the same transaction. */
  stepReturn(
    principal: Principal,
    orderId: string,
    returnId: string,
    step: ReturnStep,
  ): Promise<OrderReturn> {
    return this.clientChange(principal, orderId, (record) => {
      const plan = planReturnStep({
        order: record.order,
        returnId,
        step,
        actor: actorOf(principal),
        now: this.clock(),
      });
      return {
        change: {
          order: plan.order,
          events: plan.events,
          ...(plan.restock ? { restock: plan.restock } : {}),
        },
        result: plan.returned,
      };
    });
  }

  /**
   * Reads the order, plans a change on it and writes it conditionally; a concurrent write
   * makes it read and plan again (a few times, then 409). The signal the change stores is
   * delivered after the commit.
   */
  private async clientChange<T>(
    principal: Principal,
    orderId: string,
    plan: (record: OrderRecord, workflow: Workflow) => { change: OrderChange; result: T },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.store.get(principal.tenantId, orderId);
      if (!record) throw problems.notFound(`Order ${orderId}`);
      const { workflow } = await this.pinned(principal.tenantId, record.order);
      const { change, result } = plan(record, workflow);
      const written = await this.clientWrite(
        principal.tenantId,
        record,
        change,
        undefined,
        attempt < CHANGE_ATTEMPTS,
      );
      if (!written) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        continue;
      }
      if (change.signal) await this.deliverSignal(change.signal);
      return result;
    }
  }

  /**
   * Writes a client's change to the order as it was read. A lost race is a 412 when the
   * client named the version it saw; without one it answers false when the caller may read
   * again and re-apply, and is a 409 otherwise, so no update is ever silently lost.
   */
  private async clientWrite(
    tenantId: string,
    record: OrderRecord,
    change: OrderChange,
    ifMatchVersion: number | undefined,
    mayRetry: boolean,
  ): Promise<boolean> {
    try {
      await this.store.update(tenantId, record, change);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (ifMatchVersion !== undefined) {
        throw problems.preconditionFailed('The order changed meanwhile; fetch it again and retry.');
      }
      if (mayRetry) return false;
      throw problems.conflict(
        'The order was changed by another request at the same time; fetch it and retry.',
      );
    }
  }

  private async startExecution(
    tenantId: string,
    order: Order,
    entry: number,
    attempt: number,
  ): Promise<void> {
    const pinned = await this.pinned(tenantId, order);
    await this.engine.start({
      tenantId,
      orderId: order.id,
      workflowVersion: pinned.version,
      ...(pinned.revision !== undefined ? { workflowRevision: pinned.revision } : {}),
      ...(pinned.executionTarget ? { executionTarget: pinned.executionTarget } : {}),
      attempt,
      state: executionState(tenantId, order, entry),
    });
  }

  /**
   * Re-runs the current stage's failed actions: the failures are cleared and a new execution
   * resumes the order at its stage, where actions that already succeeded are skipped.
   */
  async retry(principal: Principal, orderId: string): Promise<Order> {
    const record = await this.store.get(principal.tenantId, orderId);
    if (!record) throw problems.notFound(`Order ${orderId}`);
    if (!record.halted) {
      throw problems.conflict('Nothing to retry: no action of the current stage has stopped the order.', {
        actions: record.order.actions,
      });
    }
    const order: Order = {
      ...record.order,
      version: record.order.version + 1,
      actions: { state: 'running', failed: [] },
      updatedAt: this.clock().toISOString(),
    };
    const retried = record.order.actions.failed.map((failure) => failure.id);
    const actionResults = Object.fromEntries(
      Object.entries(record.actionResults).filter(([, result]) => result.status === 'succeeded'),
    );
    const attempt = record.attempt + 1;
    try {
      await this.store.update(principal.tenantId, record, {
        order,
        events: [
          { type: 'order.actions_retried', actor: actorOf(principal), data: { order, actions: retried } },
        ],
        actionResults,
        attempt,
        halted: false,
      });
    } catch (error) {
      if (error instanceof ConflictError) throw problems.conflict('The order changed meanwhile; retry.');
      throw error;
    }
    await this.startExecution(principal.tenantId, order, record.entry, attempt);
    return order;
  }

  /**
   * Moves the order to another published version of its tenant's workflow, keeping its
   * stage (which must exist there): its execution is replaced by one of the new version.
   */
  async migrate(principal: Principal, orderId: string, toVersion: number): Promise<Order> {
    const record = await this.store.get(principal.tenantId, orderId);
    if (!record) throw problems.notFound(`Order ${orderId}`);
    const { order } = record;
    const target = await this.workflows.version(principal.tenantId, toVersion);
    if (!target) throw problems.notFound(`Workflow version ${toVersion}`);
    const current = await this.pinned(principal.tenantId, order);
    if (current.workflow.stages.find((stage) => stage.id === order.stage)?.final) {
      throw problems.conflict(
        `The order is in the final stage "${order.stage}"; it has nothing left to run.`,
      );
    }
    // Version 0 is the built-in default's current revision: an order on an older one may move to it.
    if (toVersion === order.workflow.version && target.revision === workflowRefOf(order).revision) {
      throw problems.conflict(`The order already runs on workflow version ${toVersion}.`);
    }
    if (!target.workflow.stages.some((stage) => stage.id === order.stage)) {
      throw problems.conflict(
        `Workflow version ${toVersion} has no stage "${order.stage}" to move the order into.`,
        {
          stage: order.stage,
        },
      );
    }
    const next: Order = {
      ...order,
      version: order.version + 1,
      workflow: {
        version: toVersion,
        ...(target.revision !== undefined ? { revision: target.revision } : {}),
      },
      updatedAt: this.clock().toISOString(),
    };
    const attempt = record.attempt + 1;
    try {
      await this.store.update(principal.tenantId, record, {
        order: next,
        events: [
          {
            type: 'order.migrated',
            actor: actorOf(principal),
            data: { order: next, fromVersion: order.workflow.version, toVersion },
          },
        ],
        attempt,
        halted: false,
      });
    } catch (error) {
      if (error instanceof ConflictError) throw problems.conflict('The order changed meanwhile; retry.');
      throw error;
    }
    await this.engine.stop({
      tenantId: principal.tenantId,
      orderId,
      attempt: record.attempt,
      ...(current.revision !== undefined ? { workflowRevision: current.revision } : {}),
      ...(current.executionTarget ? { executionTarget: current.executionTarget } : {}),
    });
    await this.startExecution(principal.tenantId, next, record.entry, attempt);
    return next;
  }

  /**
   * Sends the signal the committed change stored, at once so the order moves on without
   * delay. Should every attempt fail, the stored signal is sent again from the table's stream
   * (the events function), so it is still delivered at least once.
   */
  private async deliverSignal(signal: PendingSignal): Promise<void> {
    for (let attempt = 1; attempt <= SIGNAL_ATTEMPTS; attempt++) {
      try {
        await this.engine.signal(signal.token, signal.output);
        return;
      } catch (error) {
        if (attempt === SIGNAL_ATTEMPTS) this.onSignalError(error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
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

/**
 * The re-check owed to an execution waiting in a stage whose auto transitions may now hold:
 * its stored token, with the changed order's state at the same stage and entry. None when the
 * stage has no such transitions (it is never woken) or no wait is parked there right now (a
 * wait that parks later sees the change itself: it parks only at the version it evaluated).
 */
function recheckSignal(
  tenantId: string,
  record: OrderRecord,
  workflow: Workflow,
  changed: Order,
): PendingSignal | undefined {
  if (!record.taskToken || record.taskTokenStage !== record.order.stage) return undefined;
  if (!rechecksOnChange(stageOf(workflow, record.order.stage))) return undefined;
  return { token: record.taskToken, output: executionState(tenantId, changed, record.entry) };
}
