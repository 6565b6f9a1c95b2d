import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, computeTotals, mergePatch, newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { ProblemError } from '../../../shared/problem.js';

const json = fc.jsonValue({ maxDepth: 3 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 5 });

const order = newOrder({
  request: CreateOrderRequest.parse({
    currency: 'GBP',
    customer: { name: 'Ada', email: 'ada@example.com' },
    items: [{ sku: 'A', quantity: 2, unitPrice: 150 }],
    services: [{ code: 'design', price: 1000 }],
  }),
  stage: 'preliminary',
  workflowVersion: 0,
  now: new Date('2026-11-26T10:00:00.000Z'),
});

describe('merge-patch (RFC 7396)', () => {
  it('replaces the target entirely with any patch that is not an object', () => {
    fc.assert(
      fc.property(json, json, (target, patch) => {
        fc.pre(typeof patch !== 'object' || patch === null || Array.isArray(patch));
        expect(mergePatch(target, patch)).toEqual(patch);
      }),
    );
  });

  it('is idempotent: applying the same patch twice changes nothing more', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const once = mergePatch(target, patch);
        expect(mergePatch(once, patch)).toEqual(once);
      }),
    );
  });

  it('keeps fields the patch does not mention and removes those it sets to null', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (target, patch) => {
        const merged = mergePatch(target, patch) as Record<string, unknown>;
        for (const key of Object.keys(target)) {
          if (!(key in patch)) expect(merged[key]).toEqual(target[key]);
        }
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) expect(key in merged).toBe(false);
        }
      }),
    );
  });
});

describe('totals', () => {
  it('sums quantity times unit price plus service prices, in minor units', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 1000 }),
            unitPrice: fc.option(fc.nat(100_000), { nil: undefined }),
          }),
        ),
        fc.array(fc.record({ price: fc.option(fc.nat(100_000), { nil: undefined }) })),
        (items, services) => {
          const totals = computeTotals(
            {
              items: items.map((item, i) => ({ ...item, sku: `S${i}`, backordered: 0 })),
              services: services.map((s, i) => ({ ...s, code: `C${i}` })),
            },
            'EUR',
          );
          expect(Number.isInteger(totals.grand)).toBe(true);
          expect(totals.grand).toBe(totals.items + totals.services);
          expect(totals.items).toBe(
            items.reduce((sum, item) => sum + item.quantity * (item.unitPrice ?? 0), 0),
          );
        },
      ),
    );
  });
});

describe('patching an order', () => {
  const now = new Date('2026-11-26T11:00:00.000Z');

  it('bumps the version, recomputes totals and keeps backorder counts by SKU', () => {
    const backordered = {
      ...order,
      items: [{ ...order.items[0], backordered: 1 } as (typeof order.items)[0]],
    };
    const { order: next, changed } = applyPatch(
      backordered,
      { items: [{ sku: 'A', quantity: 3, unitPrice: 100 }] },
      now,
    );
    expect(next.version).toBe(2);
    expect(next.totals.grand).toBe(300 + 1000);
    expect(next.items[0]?.backordered).toBe(1);
    expect(next.updatedAt).toBe(now.toISOString());
    expect(changed).toEqual(['items']);
  });

  it('reports no change for a patch that restates the current values', () => {
    const { changed } = applyPatch(order, { customer: { name: 'Ada' }, services: order.services }, now);
    expect(changed).toEqual([]);
  });

  it('lists unknown fields and invalid merged values together', () => {
    try {
      applyPatch(order, { version: 9, customer: { email: 'x' } }, now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).errors?.map((e) => e.path).sort()).toEqual([
        '/customer/email',
        '/version',
      ]);
    }
  });
});
