import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/errors.js';
import { buildEvent } from '../../../shared/events/catalog.js';
import { newOrder } from '../../../shared/orders/order.js';
import type { OrderRecord, OrderStore } from '../../../shared/orders/order-store.js';
import { CreateOrderRequest, type Order } from '../../../shared/orders/schema.js';

export interface OrderStoreUnderTest {
  store: OrderStore;
  /** What the compiled wait state writes: the execution's token parked on the order in `stage`. */
  park(tenantId: string, orderId: string, stage: string, token: string): Promise<void>;
}

const system = { type: 'system' } as const;
let tenants = 0;

function orderAt(createdAt: string, email = 'ada@example.com'): Order {
  return newOrder({
    request: CreateOrderRequest.parse({
      currency: 'GBP',
      customer: { name: 'Ada', email },
      items: [{ sku: 'A', quantity: 1, unitPrice: 100 }],
    }),
    stage: 'preliminary',
    workflowVersion: 0,
    now: new Date(createdAt),
  });
}

function moved(record: OrderRecord, stage: string, at: string): Order {
  return { ...record.order, stage, version: record.order.version + 1, updatedAt: at };
}

/**
 * What every OrderStore adapter promises (shared/orders/order-store.ts), run against each of
 * them so an in-memory store used by unit tests cannot drift from the DynamoDB one.
 */
export function describeOrderStoreContract(name: string, setUp: () => OrderStoreUnderTest) {
  describe(`${name}, as an OrderStore`, () => {
    const tenant = () => `contract-${name.replace(/\W/g, '')}-${Date.now()}-${++tenants}`;

    it('creates an order with its events numbered from 1, at its first stage entry', async () => {
      const { store } = setUp();
      const tenantId = tenant();
      const order = orderAt('2026-11-26T10:00:00.000Z');
      const written = await store.create(tenantId, order, [buildEvent('order.created', system, { order })]);
      expect(written.map((event) => [event.type, event.sequence, event.data.sequence])).toEqual([
        ['order.created', 1, 1],
      ]);
      expect(await store.get(tenantId, order.id)).toEqual({
        order,
        lastSequence: 1,
        entry: 1,
        stageEnteredAt: order.createdAt,
        actionResults: {},
        attempt: 0,
        halted: false,
        startOwedSince: expect.any(String),
      });
      await expect(store.create(tenantId, order, [])).rejects.toBeInstanceOf(ConflictError);
      expect(await store.get(tenant(), order.id)).toBeUndefined();
    });

    it('applies a change only to the version it was read at, numbering its events on', async () => {
      const { store } = setUp();
      const tenantId = tenant();
      const order = orderAt('2026-11-26T10:00:00.000Z');
      await store.create(tenantId, order, [buildEvent('order.created', system, { order })]);
      const read = (await store.get(tenantId, order.id)) as OrderRecord;
      const next = { ...order, version: 2, notes: 'first', updatedAt: '2026-11-26T10:01:00.000Z' };
      const change = {
        order: next,
        events: [buildEvent('order.updated', system, { order: next, changed: ['notes'] })],
      };
      const written = await store.update(tenantId, read, change);
      expect(written.map((event) => event.sequence)).toEqual([2]);
      await expect(store.update(tenantId, read, change)).rejects.toBeInstanceOf(ConflictError);
      const after = (await store.get(tenantId, order.id)) as OrderRecord;
      expect(after).toMatchObject({ order: next, lastSequence: 2, entry: 1 });
      const page = await store.listEvents(tenantId, order.id, 1);
      expect(page.events.map((event) => event.type)).toEqual(['order.created']);
      expect(page.hasMore).toBe(true);
      const rest = await store.listEvents(tenantId, order.id, 10, 1);
      expect(rest).toMatchObject({ events: [{ type: 'order.updated', sequence: 2 }], hasMore: false });
    });

    it('starts a new stage entry afresh and spends the wait token a read saw', async () => {
      const { store, park } = setUp();
      const tenantId = tenant();
      const order = orderAt('2026-11-26T10:00:00.000Z');
      await store.create(tenantId, order, []);
      let read = (await store.get(tenantId, order.id)) as OrderRecord;
      const recorded = { ...order, version: 2, updatedAt: '2026-11-26T10:01:00.000Z' };
      await store.update(tenantId, read, {
        order: recorded,
        events: [],
        actionResults: { reserve: { entry: 1, status: 'failed', error: 'boom' } },
        halted: true,
      });
      await park(tenantId, order.id, 'preliminary', 'token-1');
      read = (await store.get(tenantId, order.id)) as OrderRecord;
      expect(read).toMatchObject({ taskToken: 'token-1', taskTokenStage: 'preliminary', halted: true });

      // A wait that parked after the read makes a stage change from that read conflict.
      await park(tenantId, order.id, 'preliminary', 'token-2');
      const at = '2026-11-26T10:02:00.000Z';
      await expect(
        store.update(tenantId, read, { order: moved(read, 'submitted', at), events: [], enterStage: true }),
      ).rejects.toBeInstanceOf(ConflictError);

      read = (await store.get(tenantId, order.id)) as OrderRecord;
      await store.update(tenantId, read, {
        order: moved(read, 'submitted', at),
        events: [],
        enterStage: true,
      });
      const entered = (await store.get(tenantId, order.id)) as OrderRecord;
      expect(entered).toMatchObject({ entry: 2, stageEnteredAt: at, actionResults: {}, halted: false });
      expect(entered.taskToken).toBeUndefined();
      expect(entered.taskTokenStage).toBeUndefined();
    });

    it('owes a new order its first execution until the start is recorded, and a new attempt its own', async () => {
      const { store } = setUp();
      const tenantId = tenant();
      const order = orderAt('2026-11-26T10:00:00.000Z');
      const owedNow = async () =>
        (await store.owedStarts('9999-12-31T00:00:00.000Z', 100_000)).filter(
          (owed) => owed.tenantId === tenantId,
        );
      await store.create(tenantId, order, []);
      expect(await owedNow()).toEqual([{ tenantId, orderId: order.id }]);
      // Owed only since the write: a sweep with a grace leaves a start that may still be under way.
      expect(
        (await store.owedStarts('2000-01-01T00:00:00.000Z', 100_000)).filter(
          (owed) => owed.tenantId === tenantId,
        ),
      ).toEqual([]);

      expect(await store.recordStart(tenantId, order.id, 0, 'arn:execution:first')).toBe(true);
      const started = (await store.get(tenantId, order.id)) as OrderRecord;
      expect(started.executionArn).toBe('arn:execution:first');
      expect(started.startOwedSince).toBeUndefined();
      expect(await owedNow()).toEqual([]);

      await store.update(tenantId, started, { order: started.order, events: [], attempt: 1 });
      expect(await owedNow()).toEqual([{ tenantId, orderId: order.id }]);
      // The answer of an earlier attempt's start comes too late: it neither records nor clears.
      expect(await store.recordStart(tenantId, order.id, 0, 'arn:execution:late')).toBe(false);
      expect((await store.get(tenantId, order.id))?.executionArn).toBe('arn:execution:first');
      expect(await store.recordStart(tenantId, order.id, 1, 'arn:execution:second')).toBe(true);
      expect(await store.get(tenantId, order.id)).toMatchObject({
        attempt: 1,
        executionArn: 'arn:execution:second',
      });
      expect(await owedNow()).toEqual([]);
      expect(await store.recordStart(tenantId, 'ord_missing', 0, 'arn:execution:none')).toBe(false);
    });

    it("lists a tenant's orders newest first, by stage and by customer, and no one else's", async () => {
      const { store } = setUp();
      const tenantId = tenant();
      const older = orderAt('2026-11-26T10:00:00.000Z', 'ada@example.com');
      const newer = orderAt('2026-11-26T11:00:00.000Z', 'bob@example.com');
      await store.create(tenantId, older, []);
      await store.create(tenantId, newer, []);
      await store.create(tenant(), orderAt('2026-11-26T12:00:00.000Z'), []);
      const ids = async (query: Parameters<OrderStore['list']>[1]) =>
        (await store.list(tenantId, query)).orders.map((order) => order.id);
      expect(await ids({ limit: 10 })).toEqual([newer.id, older.id]);
      expect(await ids({ limit: 10, stage: 'preliminary' })).toEqual([newer.id, older.id]);
      expect(await ids({ limit: 10, stage: 'submitted' })).toEqual([]);
      expect(await ids({ limit: 10, customerEmail: 'ADA@example.com' })).toEqual([older.id]);
      expect(await ids({ limit: 10, createdAfter: '2026-11-26T10:30:00.000Z' })).toEqual([newer.id]);
      const first = await store.list(tenantId, { limit: 1 });
      expect(first.orders.map((order) => order.id)).toEqual([newer.id]);
      const second = await store.list(tenantId, { limit: 1 }, first.lastKey);
      expect(second.orders.map((order) => order.id)).toEqual([older.id]);
    });
  });
}
