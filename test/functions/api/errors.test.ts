import { describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

const post = (rawBody: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  api.call('/v1/orders', { method: 'POST', rawBody, headers });

describe('bad input', () => {
  it('answers 400 problem+json for malformed JSON', async () => {
    for (const raw of ['{', '{"currency": "GBP",}', 'null x', '\u0000']) {
      const response = await post(raw);
      expect(response.status, raw).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.detail).toBe('The body is not valid JSON.');
    }
  });

  it('answers 400 for JSON that is not an object, and for a missing body', async () => {
    for (const raw of ['null', '[]', '"text"', '42', '']) {
      const response = await post(raw);
      expect(response.status, raw).toBe(400);
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await post('currency=GBP', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
  });

  it('answers 413 for a body over 256 KiB', async () => {
    const response = await post(JSON.stringify({ currency: 'GBP', notes: 'x'.repeat(256 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.body.status).toBe(413);
  });

  it('lists every problem at once with JSON-pointer paths', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: {
        currency: 'gbp',
        customer: { email: 'nope' },
        items: [{ sku: '', quantity: -1, unitPrice: 1.5 }, { quantity: 1 }],
        shipping: { method: 'teleport' },
      },
    });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual([
      '/currency',
      '/customer/email',
      '/items/0/quantity',
      '/items/0/sku',
      '/items/0/unitPrice',
      '/items/1/sku',
      '/shipping/method',
    ]);
    for (const error of response.body.errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'items',
      501,
      (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
    ],
    [
      'services',
      101,
      (n: number) => ({ services: Array.from({ length: n }, (_, i) => ({ code: `C${i}` })) }),
    ],
    [
      'attachments',
      51,
      (n: number) => ({
        attachments: Array.from({ length: n }, (_, i) => ({
          name: `f${i}`,
          url: `https://example.com/${i}`,
        })),
      }),
    ],
    [
      'metadata',
      51,
      (n: number) => ({ metadata: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])) }),
    ],
  ])(
    'enforces the limit on %s (%i is one too many) and accepts the limit itself',
    async (field, tooMany, build) => {
      const over = await api.call('/v1/orders', {
        method: 'POST',
        body: { currency: 'GBP', ...build(tooMany) },
      });
      expect(over.status).toBe(400);
      expect(over.body.errors.map((e: { path: string }) => e.path)).toEqual([`/${field}`]);
      const at = await api.call('/v1/orders', {
        method: 'POST',
        body: { currency: 'GBP', ...build(tooMany - 1) },
      });
      expect(at.status).toBe(201);
    },
  );

  it('rejects duplicate SKUs in one order', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: {
        ...sampleOrder,
        items: [
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 2 },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('/items/1/sku');
  });

  it('answers 404 for unknown paths and 405 for unsupported methods, as problem+json', async () => {
    const unknown = await api.call('/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    const method = await api.call('/v1/orders', { method: 'DELETE' });
    expect(method.status).toBe(405);
  });

  it('answers 400 for an If-Match that is not an ETag', async () => {
    const order = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    const response = await api.call(`/v1/orders/${order.body.id}`, {
      method: 'PATCH',
      headers: { 'if-match': 'yesterday' },
      body: { notes: 'x' },
    });
    expect(response.status).toBe(400);
  });
});

describe('service endpoints', () => {
  it('answers health without a key, naming the database it checked', async () => {
    const response = await api.call('/health', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', dependencies: { database: 'up' } });
  });

  it('describes every route in an OpenAPI 3.1 document generated from the request schemas', async () => {
    const response = await api.call('/openapi.json', { key: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const create = response.body.paths['/v1/orders'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['currency']);
    expect(schema.properties.items.maxItems).toBe(500);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/v1/orders/{id}', '/v1/orders/{id}/events', '/v1/admin/tenants']),
    );
    const list = response.body.paths['/v1/orders'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['stage', 'customerEmail', 'createdAfter', 'createdBefore', 'limit', 'cursor']),
    );
  });
});
