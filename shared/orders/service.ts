import type { Principal } from '../auth/api-keys.js';
import { buildEvent } from '../events/catalog.js';
import { problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import { type ConflictPolicy, jitteredBackoff, OrderChangeRunner } from './change-runner.js';
import { planPlaceHold, planReleaseHold } from './holds.js';
import { type LineRef, newOrder } from './order.js';
import type {
  CompanionWrite,
  IdempotencyCompletion,
  OrderChange,
  OrderStore,
  PageKey,
} from './order-store.js';
import {
  actorOf,
  planMigrate,
  planPatch,
  planProgress,
  planRetry,
  planTransition,
  recheckSignal,
} from './plans.js';
import { type PlannedReturn, planReturnRequest, planReturnStep, type ReturnStep } from './returns.js';
import type {
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
import { planShipment } from './transitions.js';
import type { WorkflowEngine } from './workflow-engine.js';
import type { WorkflowSource } from './workflow-source.js';

/**
 * A transition loses races to its stage's own action writes (a reservation, a purchase order)
 * while they run; each loss re-plans on a fresh read after a short jittered pause.
 */
export const TRANSITION_ATTEMPTS = 8;
const transitionBackoff = jitteredBackoff(10, 250);
/**
 * Progress on different lines of one order may arrive together (dozens at once): each lost
 * race re-reads and re-applies after a jittered pause, so all of them land.
 */
const PROGRESS_ATTEMPTS = 100;
const progressBackoff = jitteredBackoff(10, 1000);
/** Holds, shipments and returns are re-planned on a fresh read this often when another write got in first. */
const CHANGE_ATTEMPTS = 8;

/**
 * A lost race on a client's change: a 412 when the client named the version it saw; else
 * re-planned on a fresh read while attempts are left, and a 409 after, so no update is ever
 * silently lost.
 */
function clientConflicts(
  ifMatchVersion: number | undefined,
  attempts: number,
  backoffMs?: (attempt: number) => number,
): ConflictPolicy {
  if (ifMatchVersion !== undefined) {
    return {
      attempts: 1,
      exhausted: () => problems.preconditionFailed('The order changed meanwhile; fetch it again and retry.'),
    };
  }
  return {
    attempts,
    ...(backoffMs ? { backoffMs } : {}),
    exhausted: () =>
      problems.concurrentChange(
        'The order was changed by another request at the same time; fetch it and retry.',
      ),
  };
}

function needsFiles(workflow: Workflow, order: Order, to: string): boolean {
  if (order.attachments.length > 0) return false;
  const stage = workflow.stages.find((candidate) => candidate.id === order.stage);
  return stage?.transitions.some((t) => t.to === to && t.requires?.includes('attachments')) === true;
}

/** Operations that restart the order's execution are not re-planned: the client decides again. */
const restartConflicts: ConflictPolicy = {
  attempts: 1,
  exhausted: () => problems.concurrentChange('The order changed meanwhile; retry.'),
};

/** Orders: the rules of creating, reading and editing them, independent of HTTP and of DynamoDB. */
export class OrderService {
  private readonly changes: OrderChangeRunner;

  constructor(
    private readonly store: OrderStore,
    private readonly workflows: WorkflowSource<Workflow>,
    engine: WorkflowEngine,
    clock: () => Date = () => new Date(),
    onSignalError: (error: unknown) => void = () => undefined,
    /** How many of an order's uploaded files are available (attachments/service.ts). */
    private readonly availableFiles: (tenantId: string, orderId: string) => Promise<number> = async () => 0,
    /** Told when an execution could not start at once; it stays owed and the sweep starts it. */
    onStartError: (error: unknown) => void = () => undefined,
  ) {
    this.changes = new OrderChangeRunner(store, workflows, {
      engine,
      clock,
      onSignalError,
      onStartError,
      missing: (orderId) => problems.notFound(`Order ${orderId}`),
    });
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
      now: this.changes.now(),
    });
    await this.store.create(
      principal.tenantId,
      order,
      [buildEvent('order.created', actorOf(principal), { order })],
      respond(order),
    );
    await this.changes.start(principal.tenantId, order, 1, 0, pinned);
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
    const { record, change } = await this.changes.run(
      principal.tenantId,
      orderId,
      (read) => planPatch({ ...read, principal, patch, ifMatchVersion }),
      clientConflicts(ifMatchVersion, 1),
    );
    return change?.order ?? record.order;
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
    const { record, change } = await this.changes.run(
      principal.tenantId,
      orderId,
      (read) => planProgress({ ...read, principal, line, request, ifMatchVersion }),
      clientConflicts(ifMatchVersion, PROGRESS_ATTEMPTS, progressBackoff),
    );
    return change?.order ?? record.order;
  }

  /**
   * Moves the order on a manual transition: one conditional write of the new stage and its
   * events, then the waiting execution is signalled. The signal is stored with the change,
   * so a signal that cannot be delivered now is delivered later, never lost. Re-planned on
   * what is there now: another transition makes this one a 409, an action's write does not.
   */
  async transition(
    principal: Principal,
    orderId: string,
    request: TransitionRequest,
    ifMatchVersion: number | undefined,
  ): Promise<Order> {
    const read = await this.changes.read(principal.tenantId, orderId);
    // Only a transition that requires attachments, of an order without a URL one, asks storage.
    const availableFiles = needsFiles(read.pinned.workflow, read.record.order, request.to)
      ? await this.availableFiles(principal.tenantId, orderId)
      : 0;
    const { change } = await this.changes.run(
      principal.tenantId,
      orderId,
      (input) => planTransition({ ...input, principal, request, ifMatchVersion, availableFiles }),
      clientConflicts(ifMatchVersion, TRANSITION_ATTEMPTS, transitionBackoff),
      read,
    );
    return (change as OrderChange).order;
  }

  /**
   * Re-runs the current stage's failed actions: the failures are cleared and a new execution
   * resumes the order at its stage, where actions that already succeeded are skipped.
   */
  async retry(principal: Principal, orderId: string): Promise<Order> {
    const { change } = await this.changes.run(
      principal.tenantId,
      orderId,
      (read) => planRetry({ ...read, principal }),
      restartConflicts,
    );
    return (change as OrderChange).order;
  }

  /**
   * Moves the order to another published version of its tenant's workflow, keeping its
   * stage (which must exist there): its execution is replaced by one of the new version.
   */
  async migrate(principal: Principal, orderId: string, toVersion: number): Promise<Order> {
    const read = await this.changes.read(principal.tenantId, orderId);
    const target = await this.workflows.version(principal.tenantId, toVersion);
    if (!target) throw problems.notFound(`Workflow version ${toVersion}`);
    const { change } = await this.changes.run(
      principal.tenantId,
      orderId,
      (input) => planMigrate({ ...input, principal, target }),
      restartConflicts,
      read,
    );
    return (change as OrderChange).order;
  }

  /**
   * Places a hold: one conditional write that moves the order's version on, so a transition
   * or an automatic move planned on the order before it cannot commit after it.
   */
  async placeHold(principal: Principal, orderId: string, request: PlaceHoldRequest): Promise<Hold> {
    let hold: Hold | undefined;
    await this.changes.run(
      principal.tenantId,
      orderId,
      ({ record, pinned, now }) => {
        const plan = planPlaceHold({
          record,
          workflow: pinned.workflow,
          request,
          actor: actorOf(principal),
          now,
        });
        hold = plan.hold;
        return { change: { order: plan.order, events: plan.events } };
      },
      clientConflicts(undefined, CHANGE_ATTEMPTS, progressBackoff),
    );
    return hold as Hold;
  }

  /** Releases a hold; the last one's release lets the execution re-check its moves. */
  async releaseHold(principal: Principal, orderId: string, holdId: string): Promise<Order> {
    const { change } = await this.changes.run(
      principal.tenantId,
      orderId,
      ({ record, pinned, now }) => {
        const plan = planReleaseHold({
          tenantId: principal.tenantId,
          record,
          holdId,
          actor: actorOf(principal),
          now,
          recheck: (next) => recheckSignal(principal.tenantId, record, pinned.workflow, next),
        });
        return {
          change: { order: plan.order, events: plan.events, ...(plan.signal ? { signal: plan.signal } : {}) },
        };
      },
      clientConflicts(undefined, CHANGE_ATTEMPTS, progressBackoff),
    );
    return (change as OrderChange).order;
  }

  /**
   * Records a shipment in a stage that takes them: the shipment and each item's shipped
   * quantity in one conditional write; a waiting execution re-checks its auto transitions.
   */
  async ship(principal: Principal, orderId: string, request: ShipmentRequest): Promise<ShipmentRecord> {
    let shipment: ShipmentRecord | undefined;
    await this.changes.run(
      principal.tenantId,
      orderId,
      ({ record, pinned, now }) => {
        const plan = planShipment({
          record,
          workflow: pinned.workflow,
          request,
          actor: actorOf(principal),
          now,
        });
        shipment = plan.shipment;
        const signal = recheckSignal(principal.tenantId, record, pinned.workflow, plan.order);
        return { change: { order: plan.order, events: plan.events, ...(signal ? { signal } : {}) } };
      },
      clientConflicts(undefined, CHANGE_ATTEMPTS, progressBackoff),
    );
    return shipment as ShipmentRecord;
  }

  /** Requests a return of shipped units, in any stage (final ones included). */
  async requestReturn(
    principal: Principal,
    orderId: string,
    request: RequestReturnRequest,
  ): Promise<OrderReturn> {
    return this.returnChange(principal, orderId, (order, now) =>
      planReturnRequest({ order, request, actor: actorOf(principal), now }),
    );
  }

  /** Moves a return on; a restock commits with it, in the same transaction. */
  stepReturn(
    principal: Principal,
    orderId: string,
    returnId: string,
    step: ReturnStep,
  ): Promise<OrderReturn> {
    return this.returnChange(principal, orderId, (order, now) =>
      planReturnStep({ order, returnId, step, actor: actorOf(principal), now }),
    );
  }

  private async returnChange(
    principal: Principal,
    orderId: string,
    plan: (order: Order, now: Date) => PlannedReturn,
  ): Promise<OrderReturn> {
    let returned: OrderReturn | undefined;
    await this.changes.run(
      principal.tenantId,
      orderId,
      ({ record, now }) => {
        const planned = plan(record.order, now);
        returned = planned.returned;
        return {
          change: {
            order: planned.order,
            events: planned.events,
            ...(planned.restock ? { companions: restockCompanions(planned.restock) } : {}),
          },
        };
      },
      clientConflicts(undefined, CHANGE_ATTEMPTS, progressBackoff),
    );
    return returned as OrderReturn;
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

/** One restock write per SKU: a transaction may touch each inventory record once only. */
function restockCompanions(lines: { sku: string; quantity: number }[]): CompanionWrite[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku].map(([sku, quantity]) => ({ type: 'inventory.restock', sku, quantity }));
}
