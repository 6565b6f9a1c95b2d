import { ConflictError } from '../../errors.js';
import type { NewEvent } from '../../events/catalog.js';
import { numberedEvents } from '../../orders/history.js';
import type {
  IdempotencyCompletion,
  OrderChange,
  OrderIdentity,
  OrderRecord,
  OrderStore,
  PageKey,
} from '../../orders/order-store.js';
import type { ListOrdersQuery, Order, OrderEvent } from '../../orders/schema.js';

interface Stored {
  tenantId: string;
  record: OrderRecord;
  events: OrderEvent[];
  /** The token a committed change stored for the stream to send again (DynamoDB: `pendingSignal`). */
  pendingSignal?: string;
}

/**
 * The order store in one process's memory, with the DynamoDB adapter's semantics: conditional
 * writes on (version, entry, wait token), events numbered gap-free in the same "transaction",
 * copies in and out so no caller shares state with the store. For unit tests of the domain.
 */
export class MemoryOrderStore implements OrderStore {
  private readonly orders = new Map<string, Stored>();

  /** `complete` is called in the same step as the write, as the DynamoDB transaction does. */
  constructor(
    private readonly idempotency?: {
      completeWith(tenantId: string, completion: IdempotencyCompletion): void;
    },
  ) {}

  private static key(tenantId: string, orderId: string): string {
    return `${tenantId}/${orderId}`;
  }

  async create(
    tenantId: string,
    order: Order,
    events: NewEvent[],
    idempotency?: IdempotencyCompletion,
  ): Promise<OrderEvent[]> {
    const key = MemoryOrderStore.key(tenantId, order.id);
    if (this.orders.has(key)) throw new ConflictError(`Order ${order.id} exists.`);
    const written = numberedEvents(order, 1, events, order.createdAt);
    this.orders.set(key, {
      tenantId,
      record: {
        order: structuredClone(order),
        lastSequence: written.length,
        entry: 1,
        stageEnteredAt: order.createdAt,
        actionResults: {},
        attempt: 0,
        halted: false,
        startOwedSince: new Date().toISOString(),
      },
      events: structuredClone(written),
    });
    if (idempotency) this.idempotency?.completeWith(tenantId, idempotency);
    return written;
  }

  async get(tenantId: string, orderId: string): Promise<OrderRecord | undefined> {
    const stored = this.orders.get(MemoryOrderStore.key(tenantId, orderId));
    return stored ? structuredClone(stored.record) : undefined;
  }

  async update(tenantId: string, current: OrderRecord, change: OrderChange): Promise<OrderEvent[]> {
    const stored = this.orders.get(MemoryOrderStore.key(tenantId, current.order.id));
    if (!stored) throw new ConflictError(`Order ${current.order.id} is gone.`);
    const { record } = stored;
    const spendsToken = change.enterStage === true || change.signal !== undefined;
    if (
      record.order.version !== current.order.version ||
      record.entry !== current.entry ||
      (spendsToken && record.taskToken !== current.taskToken)
    ) {
      throw new ConflictError();
    }
    const next = change.order;
    const written = numberedEvents(next, current.lastSequence + 1, change.events, next.updatedAt);
    const { taskToken, taskTokenStage, ...kept } = record;
    stored.record = {
      ...kept,
      ...(spendsToken
        ? {}
        : { ...(taskToken ? { taskToken } : {}), ...(taskTokenStage ? { taskTokenStage } : {}) }),
      order: structuredClone(next),
      lastSequence: current.lastSequence + written.length,
      entry: change.enterStage ? current.entry + 1 : current.entry,
      actionResults: structuredClone(change.actionResults ?? (change.enterStage ? {} : record.actionResults)),
      attempt: change.attempt ?? record.attempt,
      ...(change.attempt !== undefined ? { startOwedSince: new Date().toISOString() } : {}),
      halted: change.halted ?? (change.enterStage ? false : record.halted),
      stageEnteredAt: change.enterStage ? next.updatedAt : record.stageEnteredAt,
    };
    if (change.signal) stored.pendingSignal = change.signal.token;
    stored.events.push(...structuredClone(written));
    if (change.idempotency) this.idempotency?.completeWith(tenantId, change.idempotency);
    return written;
  }

  async recordStart(
    tenantId: string,
    orderId: string,
    attempt: number,
    executionArn: string,
  ): Promise<boolean> {
    const stored = this.orders.get(MemoryOrderStore.key(tenantId, orderId));
    if (!stored || stored.record.attempt !== attempt) return false;
    const { startOwedSince: _owed, ...record } = stored.record;
    stored.record = { ...record, executionArn };
    return true;
  }

  async owedStarts(before: string, limit: number): Promise<OrderIdentity[]> {
    return [...this.orders.values()]
      .filter(({ record }) => record.startOwedSince !== undefined && record.startOwedSince < before)
      .sort((a, b) => ((a.record.startOwedSince as string) < (b.record.startOwedSince as string) ? -1 : 1))
      .slice(0, limit)
      .map(({ tenantId, record }) => ({ tenantId, orderId: record.order.id }));
  }

  /**
   * What the compiled wait state does: parks the execution's token on the order while it is
   * in `stage` (and, for a re-checking wait, at `version`); otherwise the condition fails.
   */
  parkWait(tenantId: string, orderId: string, stage: string, token: string, version?: number): void {
    const stored = this.orders.get(MemoryOrderStore.key(tenantId, orderId));
    if (!stored || stored.record.order.stage !== stage) throw new ConflictError('The order left the stage.');
    if (version !== undefined && stored.record.order.version !== version) throw new ConflictError();
    stored.record = { ...stored.record, taskToken: token, taskTokenStage: stage };
    stored.pendingSignal = undefined;
  }

  /** The token the last signalling change stored, until the next wait parks. */
  pendingSignalOf(tenantId: string, orderId: string): string | undefined {
    return this.orders.get(MemoryOrderStore.key(tenantId, orderId))?.pendingSignal;
  }

  async list(
    tenantId: string,
    query: Omit<ListOrdersQuery, 'cursor'>,
    after?: PageKey,
  ): Promise<{ orders: Order[]; lastKey?: PageKey }> {
    const sortKey = (order: Order) => `${order.createdAt}#${order.id}`;
    const lower = query.createdAfter ? `${new Date(query.createdAfter).toISOString()}~` : undefined;
    const upper = query.createdBefore ? `${new Date(query.createdBefore).toISOString()}#` : undefined;
    const email = query.customerEmail?.toLowerCase();
    const matching = [...this.orders.values()]
      .filter((stored) => stored.tenantId === tenantId)
      .map((stored) => stored.record.order)
      .filter((order) => !query.stage || order.stage === query.stage)
      .filter((order) => !email || order.customer?.email?.toLowerCase() === email)
      .filter((order) => (!lower || sortKey(order) > lower) && (!upper || sortKey(order) < upper))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const start = after ? matching.findIndex((order) => sortKey(order) < (after.sortKey as string)) : 0;
    const page = start < 0 ? [] : matching.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start >= 0 && start + query.limit < matching.length;
    return {
      orders: structuredClone(page),
      ...(more && last ? { lastKey: { sortKey: sortKey(last) } } : {}),
    };
  }

  async listEvents(
    tenantId: string,
    orderId: string,
    limit: number,
    afterSequence = 0,
  ): Promise<{ events: OrderEvent[]; hasMore: boolean }> {
    const events = (this.orders.get(MemoryOrderStore.key(tenantId, orderId))?.events ?? []).filter(
      (event) => event.sequence > afterSequence,
    );
    return { events: structuredClone(events.slice(0, limit)), hasMore: events.length > limit };
  }
}
