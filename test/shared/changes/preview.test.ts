import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reservation } from '../../../shared/actions/inventory-store.js';
import { planChange } from '../../../shared/changes/preview.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest, type Order } from '../../../shared/orders/schema.js';
import { ProblemError } from '../../../shared/problem.js';

const now = new Date('2026-12-01T10:00:00.000Z');

function confirmedOrder(
  items: { sku: string; quantity: number; unitPrice: number; backordered?: number }[],
  services: { code: string; price: number }[] = [],
): Order {
  const order = newOrder({
    request: CreateOrderRequest.parse({
      currency: 'GBP',
      items: items.map(({ backordered: _, ...item }) => item),
      services,
    }),
    stage: 'confirmed',
    workflowVersion: 0,
    now: new Date('2026-11-30T10:00:00.000Z'),
  });
  const backordered = new Map(items.map((item) => [item.sku, item.backordered ?? 0]));
  return {
    ...order,
    items: order.items.map((item) => ({ ...item, backordered: backordered.get(item.sku) ?? 0 })),
  };
}

const reservation = (sku: string, quantity: number): Reservation => ({
  orderId: 'ord_1',
  sku,
  quantity,
  reservedAt: '2026-11-30T10:00:00.000Z',
});

function problemsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error.errors ?? [];
    throw error;
  }
  throw new Error('expected a problem');
}

describe('the preview of a change', () => {
  // A holds 10 reserved; B holds 3 of 5 (2 backordered); C holds 4; D is new. One unit of B and two of D are in stock.
  const order = confirmedOrder(
    [
      { sku: 'A', quantity: 10, unitPrice: 150 },
      { sku: 'B', quantity: 5, unitPrice: 200, backordered: 2 },
      { sku: 'C', quantity: 4, unitPrice: 50 },
    ],
    [{ code: 'design', price: 1000 }],
  );
  const plan = planChange({
    order,
    patch: {
      items: [
        { sku: 'A', quantity: 6, unitPrice: 150 },
        { sku: 'B', quantity: 9, unitPrice: 200 },
        { sku: 'D', name: 'Envelopes', quantity: 3, unitPrice: 100, supplier: 'paperco' },
      ],
    },
    reservations: [reservation('A', 10), reservation('B', 3), reservation('C', 4)],
    available: new Map([
      ['B', 1],
      ['D', 2],
    ]),
    now,
  });

  it('shows the totals before and after, computed by hand', () => {
    // Before: 10×150 + 5×200 + 4×50 = 2700 items, 1000 services. After: 6×150 + 9×200 + 3×100 = 3000.
    expect(plan.preview.totals).toEqual({
      before: { currency: 'GBP', items: 2700, services: 1000, grand: 3700 },
      after: { currency: 'GBP', items: 3000, services: 1000, grand: 4000 },
    });
    expect(plan.preview.changed).toEqual(['items']);
  });

  it('lists each changed line with its quantity from and to, added and removed', () => {
    expect(plan.preview.lines).toEqual([
      { sku: 'A', from: 10, to: 6, added: false, removed: false },
      { sku: 'B', from: 5, to: 9, added: false, removed: false },
      { sku: 'C', from: 4, to: 0, added: false, removed: true },
      { sku: 'D', from: 0, to: 3, added: true, removed: false },
    ]);
  });

  it('shows what is reserved, released and backordered per SKU at current stock', () => {
    expect(plan.preview.inventory).toEqual([
      { sku: 'A', reserved: 10, reserve: 0, release: 4, backordered: 0, shortfall: 0 },
      // 4 more wanted, 1 in stock: 5 backordered in all, 3 of them new.
      { sku: 'B', reserved: 3, reserve: 1, release: 0, backordered: 5, shortfall: 3 },
      { sku: 'C', reserved: 4, reserve: 0, release: 4, backordered: 0, shortfall: 0 },
      { sku: 'D', reserved: 0, reserve: 2, release: 0, backordered: 1, shortfall: 1 },
    ]);
  });

  it('plans the reservation records, the backordered counts and the new shortfalls to order', () => {
    expect(plan.adjustments).toEqual([
      { sku: 'A', from: 10, to: 6 },
      { sku: 'B', from: 3, to: 4 },
      { sku: 'C', from: 4 },
      { sku: 'D', to: 2 },
    ]);
    expect(plan.order.items.map(({ sku, backordered }) => ({ sku, backordered }))).toEqual([
      { sku: 'A', backordered: 0 },
      { sku: 'B', backordered: 5 },
      { sku: 'D', backordered: 1 },
    ]);
    expect(plan.shortfalls).toEqual([
      { sku: 'B', quantity: 3 },
      { sku: 'D', name: 'Envelopes', supplier: 'paperco', quantity: 1 },
    ]);
    expect(plan.order.version).toBe(order.version + 1);
  });

  it('has no inventory effect when the order holds no reservations', () => {
    const unreserved = planChange({
      order,
      patch: { items: [{ sku: 'A', quantity: 1, unitPrice: 150 }] },
      reservations: [],
      available: new Map(),
      now,
    });
    expect(unreserved.preview.inventory).toBeNull();
    expect(unreserved.adjustments).toEqual([]);
    expect(unreserved.shortfalls).toEqual([]);
  });

  it('names every problem at once, including fields a change may not touch', () => {
    const found = problemsOf(() =>
      planChange({
        order,
        patch: {
          customer: { name: 'Someone else' },
          attachments: [],
          colour: 'red',
          items: [
            { sku: 'A', quantity: 0 },
            { sku: 'not a sku', quantity: 2 },
          ],
          shipping: { method: 'drone' },
        },
        reservations: [],
        available: new Map(),
        now,
      }),
    );
    expect(found.map((problem) => problem.path).sort()).toEqual([
      '/patch/attachments',
      '/patch/colour',
      '/patch/customer',
      '/patch/items/0/quantity',
      '/patch/items/1/sku',
      '/patch/shipping/method',
    ]);
    expect(found.find((problem) => problem.path === '/patch/customer')?.message).toMatch(
      /Cannot be changed here/,
    );
  });

  it('refuses a change that changes nothing', () => {
    expect(
      problemsOf(() =>
        planChange({ order, patch: { notes: null }, reservations: [], available: new Map(), now }),
      ),
    ).toEqual([{ path: '/patch', message: 'Every field it names already has that value.' }]);
  });
});

const sku = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F');
const line = fc.record({
  sku,
  quantity: fc.integer({ min: 1, max: 50 }),
  unitPrice: fc.integer({ min: 0, max: 10_000 }),
});
const lines = fc.uniqueArray(line, { selector: (item) => item.sku, minLength: 1, maxLength: 6 });
const services = fc.uniqueArray(fc.record({ code: sku, price: fc.integer({ min: 0, max: 100_000 }) }), {
  selector: (service) => service.code,
  maxLength: 3,
});
const scenario = fc
  .record({
    before: lines,
    after: lines,
    servicesBefore: services,
    servicesAfter: fc.option(services, { nil: undefined }),
    reserved: fc.dictionary(sku, fc.integer({ min: 0, max: 60 })),
    available: fc.dictionary(sku, fc.integer({ min: 0, max: 60 })),
  })
  .filter(({ before, after }) => JSON.stringify(before) !== JSON.stringify(after));

describe('applying a preview', () => {
  it('yields exactly the totals the preview promised, and the inventory effect adds up', () => {
    fc.assert(
      fc.property(scenario, ({ before, after, servicesBefore, servicesAfter, reserved, available }) => {
        const order = confirmedOrder(
          before.map((item) => ({
            ...item,
            backordered: Math.max(0, item.quantity - (reserved[item.sku] ?? 0)),
          })),
          servicesBefore,
        );
        const reservations = before
          .filter((item) => reserved[item.sku] !== undefined)
          .map((item) => reservation(item.sku, Math.min(item.quantity, reserved[item.sku] ?? 0)));
        const plan = planChange({
          order,
          patch: { items: after, ...(servicesAfter ? { services: servicesAfter } : {}) },
          reservations,
          available: new Map(Object.entries(available)),
          now,
        });

        const itemsTotal = after.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
        const servicesTotal = (servicesAfter ?? servicesBefore).reduce(
          (sum, service) => sum + service.price,
          0,
        );
        expect(plan.order.totals).toEqual(plan.preview.totals.after);
        expect(plan.preview.totals.after).toEqual({
          currency: 'GBP',
          items: itemsTotal,
          services: servicesTotal,
          grand: itemsTotal + servicesTotal,
        });
        expect(plan.preview.totals.before).toEqual(order.totals);

        const held = new Map(reservations.map((held) => [held.sku, held.quantity]));
        for (const effect of plan.preview.inventory ?? []) {
          const to = after.find((item) => item.sku === effect.sku)?.quantity ?? 0;
          expect(effect.reserved).toBe(held.get(effect.sku) ?? 0);
          expect(effect.reserved + effect.reserve - effect.release + effect.backordered).toBe(to);
          expect(effect.reserve).toBeLessThanOrEqual(available[effect.sku] ?? 0);
          expect(effect.reserve === 0 || effect.release === 0).toBe(true);
          const item = plan.order.items.find((candidate) => candidate.sku === effect.sku);
          expect(item?.backordered ?? 0).toBe(effect.backordered);
        }
        expect(plan.preview.inventory === null).toBe(reservations.length === 0);
      }),
    );
  });
});
