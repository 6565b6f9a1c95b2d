import { describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from '../../../local/stack.js';
import type { ActionOutcome } from '../../../shared/orders/actions.js';
import type { Order } from '../../../shared/orders/schema.js';
import { contextFor, freshSku, NOW, orderWith, runnerFor } from '../../support/actions.js';
import { useStack } from '../../support/stack.js';

const api = useStack();
const tenant = DEMO_TENANT_ID;
const reserve = { id: 'reserve', type: 'inventory.reserve' } as const;
const release = { id: 'release', type: 'inventory.release' } as const;

const stock = (sku: string, onHand: number, supplier?: string) =>
  api.stack.deps.inventory.set(tenant, sku, { onHand, ...(supplier ? { supplier } : {}) });
const level = (sku: string) => api.stack.deps.inventory.get(tenant, sku);
const applied = (order: Order, outcome: ActionOutcome) => outcome.apply?.(order) ?? order;

describe('inventory.reserve', () => {
  it('reserves what is available and backorders the rest, once', async () => {
    const { runner } = runnerFor(api.stack);
    const [plenty, scarce, unknown] = [freshSku(), freshSku(), freshSku()];
    await stock(plenty, 100);
    await stock(scarce, 3);
    const order = orderWith([
      { sku: plenty, quantity: 10 },
      { sku: scarce, quantity: 5 },
      { sku: unknown, quantity: 2 },
    ]);

    const first = await runner.run(contextFor(order, reserve));
    expect(applied(order, first).items.map((item) => item.backordered)).toEqual([0, 2, 2]);
    expect(first.result).toEqual({
      reservations: [
        { sku: plenty, reserved: 10, backordered: 0 },
        { sku: scarce, reserved: 3, backordered: 2 },
        { sku: unknown, reserved: 0, backordered: 2 },
      ],
    });
    expect(await level(plenty)).toMatchObject({ onHand: 100, reserved: 10, available: 90 });
    expect(await level(scarce)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });

    // Stock arriving between the runs must not change what a re-run does.
    await stock(scarce, 10);
    const again = await runner.run(contextFor(order, reserve));
    expect(again.result).toEqual(first.result);
    expect(applied(order, again).items.map((item) => item.backordered)).toEqual([0, 2, 2]);
    expect(await level(plenty)).toMatchObject({ reserved: 10, available: 90 });
    expect(await level(scarce)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
  });

  it('applies backordered counts to the freshest order by SKU', async () => {
    const { runner } = runnerFor(api.stack);
    const sku = freshSku();
    await stock(sku, 1);
    const order = orderWith([{ sku, quantity: 4 }]);
    const outcome = await runner.run(contextFor(order, reserve));
    const fresher = {
      ...order,
      notes: 'edited meanwhile',
      items: [...order.items, { sku: 'OTHER', quantity: 1, backordered: 0 }],
    };
    const result = applied(fresher, outcome);
    expect(result.notes).toBe('edited meanwhile');
    expect(result.items.map((item) => [item.sku, item.backordered])).toEqual([
      [sku, 3],
      ['OTHER', 0],
    ]);
  });

  it('never takes stock below zero: 50 concurrent single-unit orders against 10 on hand', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const sku = freshSku('SCARCE');
    await stock(sku, 10);
    const orders = Array.from({ length: 50 }, () => orderWith([{ sku, quantity: 1 }]));
    // Samples `available` while the reservations race, to catch it dipping below zero on the way.
    const samples: number[] = [];
    let racing = true;
    const sampler = (async () => {
      while (racing) {
        samples.push((await stores.inventory.get(tenant, sku))?.available ?? Number.NaN);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const outcomes = await Promise.all(orders.map((order) => runner.run(contextFor(order, reserve)))).finally(
      () => {
        racing = false;
      },
    );
    await sampler;

    const backordered = outcomes.map(
      (outcome, index) => applied(orders[index] as Order, outcome).items[0]?.backordered,
    );
    expect(backordered.filter((count) => count === 0)).toHaveLength(10);
    expect(backordered.filter((count) => count === 1)).toHaveLength(40);
    expect(await level(sku)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
  });
});

describe('inventory.release', () => {
  it("gives this order's reservations back, once", async () => {
    const { runner, stores } = runnerFor(api.stack);
    const [a, b] = [freshSku(), freshSku()];
    await stock(a, 5);
    await stock(b, 5);
    const order = orderWith([
      { sku: a, quantity: 2 },
      { sku: b, quantity: 9 },
    ]);
    const other = orderWith([{ sku: a, quantity: 1 }]);
    await runner.run(contextFor(order, reserve));
    await runner.run(contextFor(other, reserve));
    expect(await level(a)).toMatchObject({ reserved: 3, available: 2 });

    const first = await runner.run(contextFor(order, release));
    expect(first.result).toEqual({
      released: expect.arrayContaining([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 5 },
      ]),
    });
    expect(await level(a)).toMatchObject({ onHand: 5, reserved: 1, available: 4 });
    expect(await level(b)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect(await stores.inventory.reservationsOf(tenant, order.id)).toEqual([]);

    const again = await runner.run(contextFor(order, release));
    expect(again.result).toEqual({ released: [] });
    expect(await level(a)).toMatchObject({ reserved: 1, available: 4 });
  });

  it('lets an order reserve afresh after releasing', async () => {
    const { runner } = runnerFor(api.stack);
    const sku = freshSku();
    await stock(sku, 2);
    const order = orderWith([{ sku, quantity: 2 }]);
    await runner.run(contextFor(order, reserve));
    await runner.run(contextFor(order, release));
    await runner.run(contextFor(order, reserve, { entry: 2 }));
    expect(await level(sku)).toMatchObject({ reserved: 2, available: 0 });
  });
});

describe('purchase_order.create', () => {
  it('raises one purchase order per supplier for backordered quantities only, once', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const [own, stocked, fallback, none] = [
      freshSku('OWN'),
      freshSku('INV'),
      freshSku('FB'),
      freshSku('NONE'),
    ];
    await stock(stocked, 1, 'inkco');
    const order = orderWith([
      { sku: own, name: 'Cards', quantity: 4, supplier: 'paperco' },
      { sku: stocked, quantity: 3 },
      { sku: fallback, quantity: 2 },
    ]);
    const reserved = applied(order, await runner.run(contextFor(order, reserve)));
    const action = {
      id: 'po',
      type: 'purchase_order.create',
      params: { supplierFallback: 'wholesale' },
    } as const;

    const first = await runner.run(contextFor(reserved, action));
    const { purchaseOrders } = await stores.purchaseOrders.listOfOrder(tenant, order.id, 10);
    expect(purchaseOrders).toHaveLength(3);
    const bySupplier = Object.fromEntries(purchaseOrders.map((po) => [po.supplier, po]));
    expect(bySupplier.paperco).toMatchObject({ items: [{ sku: own, name: 'Cards', quantity: 4 }] });
    expect(bySupplier.inkco).toMatchObject({ items: [{ sku: stocked, quantity: 2 }] });
    expect(bySupplier.wholesale).toMatchObject({
      items: [{ sku: fallback, quantity: 2 }],
      orderId: order.id,
      stage: 'confirmed',
      entry: 1,
      actionId: 'po',
      createdAt: NOW.toISOString(),
    });
    for (const po of purchaseOrders) expect(po.id).toMatch(/^po_[0-9A-Z]{26}$/);

    const again = await runner.run(contextFor(reserved, action));
    expect(again.result).toEqual(first.result);
    expect((await stores.purchaseOrders.listOfOrder(tenant, order.id, 10)).purchaseOrders).toEqual(
      purchaseOrders,
    );

    // Without any supplier the items still get ordered, on a purchase order with supplier null.
    const orphan = orderWith([{ sku: none, quantity: 1 }]);
    const orphanReserved = applied(orphan, await runner.run(contextFor(orphan, reserve)));
    await runner.run(contextFor(orphanReserved, { id: 'po', type: 'purchase_order.create' }));
    const orphans = await stores.purchaseOrders.listOfOrder(tenant, orphan.id, 10);
    expect(orphans.purchaseOrders).toMatchObject([{ supplier: null, items: [{ sku: none, quantity: 1 }] }]);
  });

  it('raises nothing when nothing is backordered', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const sku = freshSku();
    await stock(sku, 10, 'paperco');
    const order = orderWith([{ sku, quantity: 2 }]);
    const reserved = applied(order, await runner.run(contextFor(order, reserve)));
    const outcome = await runner.run(contextFor(reserved, { id: 'po', type: 'purchase_order.create' }));
    expect(outcome.result).toEqual({ purchaseOrders: [] });
    expect((await stores.purchaseOrders.listOfOrder(tenant, order.id, 10)).purchaseOrders).toEqual([]);
  });

  it('raises new purchase orders for a new stage entry', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const order = orderWith([{ sku: freshSku(), quantity: 1, supplier: 'paperco' }]);
    const reserved = applied(order, await runner.run(contextFor(order, reserve)));
    const action = { id: 'po', type: 'purchase_order.create' } as const;
    await runner.run(contextFor(reserved, action, { entry: 1 }));
    await runner.run(contextFor(reserved, action, { entry: 2 }));
    const { purchaseOrders } = await stores.purchaseOrders.listOfOrder(tenant, order.id, 10);
    expect(purchaseOrders.map((po) => po.entry)).toEqual([2, 1]);
  });
});

describe('labor.schedule', () => {
  it('schedules one task with hours per unit plus fixed hours, due after dueIn, once', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const order = orderWith([
      { sku: freshSku(), quantity: 3 },
      { sku: freshSku(), quantity: 7 },
    ]);
    const action = {
      id: 'print',
      type: 'labor.schedule',
      params: { team: 'press', hoursPerUnit: 0.1, fixedHours: 2, dueIn: 'P2DT3H' },
    } as const;
    const first = await runner.run(contextFor(order, action));
    const again = await runner.run(contextFor(order, action, { now: new Date(NOW.getTime() + 60_000) }));
    expect(again.result).toEqual(first.result);
    const { laborTasks } = await stores.laborTasks.listOfOrder(tenant, order.id, 10);
    expect(laborTasks).toEqual([
      {
        id: expect.stringMatching(/^task_[0-9A-Z]{26}$/),
        team: 'press',
        hours: 3,
        dueAt: '2026-11-28T13:00:00.000Z',
        orderId: order.id,
        stage: 'confirmed',
        entry: 1,
        actionId: 'print',
        createdAt: NOW.toISOString(),
        status: 'open',
      },
    ]);
  });

  it('has no due date without dueIn and only fixed hours without a rate', async () => {
    const { runner, stores } = runnerFor(api.stack);
    const order = orderWith([{ sku: freshSku(), quantity: 50 }]);
    await runner.run(
      contextFor(order, { id: 'setup', type: 'labor.schedule', params: { team: 'prep', fixedHours: 1.5 } }),
    );
    const { laborTasks } = await stores.laborTasks.listOfOrder(tenant, order.id, 10);
    expect(laborTasks).toMatchObject([{ team: 'prep', hours: 1.5, dueAt: null }]);
  });
});

describe('notify', () => {
  it('publishes the custom event with the order and stage', async () => {
    const { runner } = runnerFor(api.stack);
    const order = orderWith([{ sku: freshSku(), quantity: 1 }]);
    const outcome = await runner.run(
      contextFor(
        order,
        { id: 'tell', type: 'notify', params: { event: 'order.ready_for_pickup' } },
        { stage: 'ready' },
      ),
    );
    expect(outcome).toEqual({
      events: [
        { type: 'order.ready_for_pickup', actor: { type: 'system' }, data: { order, stage: 'ready' } },
      ],
    });
  });
});
