import { describe, expect, it } from 'vitest';
import { MemoryOrderStore } from '../../../shared/adapters/memory/order-store.js';
import { MemoryWorkflowEngine } from '../../../shared/adapters/memory/workflow-engine.js';
import { MemoryWorkflowStore } from '../../../shared/adapters/memory/workflow-store.js';
import type { Principal } from '../../../shared/auth/api-keys.js';
import { ConflictError } from '../../../shared/errors.js';
import type { OrderChange, OrderRecord } from '../../../shared/orders/order-store.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { OrderService, TRANSITION_ATTEMPTS } from '../../../shared/orders/service.js';
import { ProblemError } from '../../../shared/problem.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import type { Workflow } from '../../../shared/workflow/schema.js';

const principal: Principal = { tenantId: 'shop', keyId: 'key_1', role: 'admin', scopes: ['*'] };
const request = CreateOrderRequest.parse({
  currency: 'GBP',
  customer: { name: 'Ada', email: 'ada@example.com' },
  items: [
    { sku: 'A', quantity: 2, unitPrice: 100 },
    { sku: 'B', quantity: 1, unitPrice: 100 },
  ],
});

/** Loses the next `times` writes to "another process", as a concurrent writer would. */
class ContendedStore extends MemoryOrderStore {
  lose = 0;
  override async update(tenantId: string, current: OrderRecord, change: OrderChange) {
    if (this.lose > 0) {
      this.lose--;
      throw new ConflictError();
    }
    return super.update(tenantId, current, change);
  }
}

function service() {
  const store = new ContendedStore();
  const engine = new MemoryWorkflowEngine();
  const signalErrors: unknown[] = [];
  const orders = new OrderService(
    store,
    new MemoryWorkflowStore<Workflow>(defaultWorkflow),
    engine,
    () => new Date('2026-11-26T10:00:00.000Z'),
    (error) => signalErrors.push(error),
  );
  return { orders, store, engine, signalErrors };
}

const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error) => (error instanceof ProblemError ? error.status : Promise.reject(error)),
  );

describe('OrderService on in-memory adapters', () => {
  it('starts the first execution of a new order on its pinned workflow version', async () => {
    const { orders, engine } = service();
    const order = await orders.create(principal, request, () => undefined);
    expect([...engine.started.values()]).toEqual([
      expect.objectContaining({ tenantId: 'shop', orderId: order.id, workflowVersion: 0, attempt: 0 }),
    ]);
  });

  it('signals the waiting execution after a transition commits, and keeps the signal when it cannot be sent', async () => {
    const { orders, store, engine, signalErrors } = service();
    const order = await orders.create(principal, request, () => undefined);
    store.parkWait('shop', order.id, 'preliminary', 'wait-1');
    const moved = await orders.transition(principal, order.id, { to: 'submitted' }, undefined);
    expect(moved.stage).toBe('submitted');
    expect(engine.signals).toEqual([
      { token: 'wait-1', output: expect.objectContaining({ stage: 'submitted', entry: 2, version: 2 }) },
    ]);

    store.parkWait('shop', order.id, 'submitted', 'wait-2');
    engine.failSignals = true;
    await orders.transition(principal, order.id, { to: 'preliminary' }, undefined);
    expect(signalErrors).toHaveLength(1);
    expect(store.pendingSignalOf('shop', order.id)).toBe('wait-2');
  }, 10_000);

  it('re-plans a transition on a fresh read when a write got in first, and answers 409 when that keeps happening', async () => {
    const { orders, store } = service();
    const order = await orders.create(principal, request, () => undefined);
    store.lose = TRANSITION_ATTEMPTS - 1;
    expect((await orders.transition(principal, order.id, { to: 'submitted' }, undefined)).stage).toBe(
      'submitted',
    );
    store.lose = TRANSITION_ATTEMPTS;
    expect(await status(orders.transition(principal, order.id, { to: 'preliminary' }, undefined))).toBe(409);
  });

  it('answers 412 instead of retrying when the client named the version it saw', async () => {
    const { orders, store } = service();
    const order = await orders.create(principal, request, () => undefined);
    store.lose = 1;
    expect(
      await status(orders.progress(principal, order.id, { kind: 'item', sku: 'A' }, { status: 'ready' }, 1)),
    ).toBe(412);
    expect((await orders.get('shop', order.id)).items[0]?.status).toBe('pending');
  });

  it('keeps progress through a dozen lost races, so none is lost', async () => {
    const { orders, store } = service();
    const order = await orders.create(principal, request, () => undefined);
    store.lose = 12;
    const progressed = await orders.progress(
      principal,
      order.id,
      { kind: 'item', sku: 'B' },
      { status: 'done' },
      undefined,
    );
    expect(progressed.items.map((item) => item.status)).toEqual(['pending', 'done']);
  }, 60_000);

  it('lands every one of 50 concurrent progress updates on different lines of one order', async () => {
    const { orders } = service();
    const skus = Array.from({ length: 50 }, (_, index) => `S${index}`);
    const many = CreateOrderRequest.parse({
      currency: 'GBP',
      items: skus.map((sku) => ({ sku, quantity: 1 })),
    });
    const order = await orders.create(principal, many, () => undefined);
    await Promise.all(
      skus.map((sku) =>
        orders.progress(principal, order.id, { kind: 'item', sku }, { status: 'done' }, undefined),
      ),
    );
    const stored = await orders.get('shop', order.id);
    expect(stored.items.every((item) => item.status === 'done')).toBe(true);
    expect(stored.version).toBe(51);
  });

  it('retries failed actions in a new execution at the same stage entry', async () => {
    const { orders, store, engine } = service();
    const order = await orders.create(principal, request, () => undefined);
    expect(await status(orders.retry(principal, order.id))).toBe(409);
    const read = (await store.get('shop', order.id)) as OrderRecord;
    await store.update('shop', read, {
      order: {
        ...read.order,
        version: 2,
        actions: { state: 'failed', failed: [{ id: 'x', error: 'boom' }] },
      },
      events: [],
      halted: true,
    });
    const retried = await orders.retry(principal, order.id);
    expect(retried.actions).toEqual({ state: 'running', failed: [] });
    expect([...engine.started.values()].map((start) => [start.attempt, start.state.entry])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
