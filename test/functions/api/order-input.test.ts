import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MONEY } from '../../../shared/orders/order.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

const paths = (body: { errors: { path: string }[] }) => body.errors.map((error) => error.path).sort();

describe('money limits', () => {
  it('refuses a line whose total is over the limit with a 422 naming the line', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: { currency: 'GBP', items: [{ sku: 'BIG', quantity: 999_999, unitPrice: 999_999_999_999 }] },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(response.body)).toEqual(['/items/0']);
  });

  it('refuses totals over the limit even when every line is within it', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: {
        currency: 'GBP',
        items: [
          { sku: 'A', quantity: 1, unitPrice: MAX_MONEY },
          { sku: 'B', quantity: 1, unitPrice: 1 },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(paths(response.body)).toEqual(['/totals/grand', '/totals/items']);
  });

  it('refuses a merge-patch that would take the total over the limit, leaving the order as it was', async () => {
    const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    const response = await api.call(`/v1/orders/${created.body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { services: [{ code: 'rush', price: MAX_MONEY }] },
    });
    expect(response.status).toBe(422);
    expect(paths(response.body)).toEqual(['/totals/grand']);
    const after = await api.call(`/v1/orders/${created.body.id}`);
    expect(after.body.version).toBe(1);
  });

  it('accepts any order within the limit and its totals are exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ quantity: fc.integer({ min: 1, max: 1_000_000 }), unitPrice: fc.nat(MAX_MONEY) }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        async (lines) => {
          const items = lines.map((line, index) => ({ sku: `SKU-${index}`, ...line }));
          const exact = items.reduce((sum, item) => sum + BigInt(item.quantity) * BigInt(item.unitPrice), 0n);
          const response = await api.call('/v1/orders', { method: 'POST', body: { currency: 'GBP', items } });
          if (
            exact > BigInt(MAX_MONEY) ||
            items.some((i) => BigInt(i.quantity) * BigInt(i.unitPrice) > MAX_MONEY)
          ) {
            expect(response.status).toBe(422);
          } else {
            expect(response.status).toBe(201);
            expect(BigInt(response.body.totals.grand)).toBe(exact);
            expect(Number.isSafeInteger(response.body.totals.grand)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('list filters', () => {
  it('answers 400 naming both dates when createdAfter is later than createdBefore', async () => {
    const response = await api.call(
      '/v1/orders?createdAfter=2026-02-01T00:00:00Z&createdBefore=2026-01-01T00:00:00Z',
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(response.body)).toEqual(['/query/createdAfter', '/query/createdBefore']);
  });

  it('accepts an empty range where both dates are the same instant', async () => {
    const at = '2026-01-01T00:00:00Z';
    const response = await api.call(`/v1/orders?createdAfter=${at}&createdBefore=${at}`);
    expect(response.status).toBe(200);
  });
});

describe('reserved keys', () => {
  it('refuses a "__proto__" key with a 422 instead of dropping it', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      rawBody: '{"currency":"GBP","metadata":{"po":"4711","__proto__":"x"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(422);
    expect(paths(response.body)).toEqual(['/metadata/__proto__']);
  });

  it('refuses it in a merge-patch too, and anywhere in any body', async () => {
    const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    const patch = await api.call(`/v1/orders/${created.body.id}`, {
      method: 'PATCH',
      rawBody: '{"metadata":{"__proto__":{"polluted":"yes"}}}',
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patch.status).toBe(422);
    const webhook = await api.call('/v1/webhooks', {
      method: 'POST',
      rawBody: '{"url":"https://example.com/h","events":["*"],"__proto__":{}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(webhook.status).toBe(422);
    expect(paths(webhook.body)).toEqual(['/__proto__']);
  });

  it('keeps a key that merely looks special', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: { currency: 'GBP', metadata: { constructor: 'x', proto: 'y' } },
    });
    expect(response.status).toBe(201);
    expect(response.body.metadata).toEqual({ constructor: 'x', proto: 'y' });
  });
});
