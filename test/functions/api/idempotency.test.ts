import { describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../../shared/errors.js';
import { problems } from '../../../shared/problem.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

function createWithKey(key: string, body: unknown = sampleOrder) {
  return api.call('/v1/orders', { method: 'POST', body, headers: { 'idempotency-key': key } });
}

describe('Idempotency-Key on POST', () => {
  it('replays the first response for a retry with the same body', async () => {
    const first = await createWithKey('retry-1');
    const again = await createWithKey('retry-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it("stores a created order's response in the creating transaction, with no write after it", async () => {
    const complete = vi.spyOn(api.stack.deps.idempotency, 'complete');
    try {
      const first = await createWithKey('one-write');
      expect(first.status).toBe(201);
      expect(complete).not.toHaveBeenCalled();
      const again = await createWithKey('one-write');
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    } finally {
      complete.mockRestore();
    }
  });

  it('treats the same JSON with other key order and spacing as the same request', async () => {
    const first = await createWithKey('reordered', { currency: 'EUR', items: [{ quantity: 1, sku: 'A' }] });
    const again = await api.call('/v1/orders', {
      method: 'POST',
      rawBody: '{ "items": [ { "sku": "A", "quantity": 1 } ],\n "currency": "EUR" }',
      headers: { 'idempotency-key': 'reordered', 'content-type': 'application/json' },
    });
    expect(again.body.id).toBe(first.body.id);
  });

  it('answers 422 when the key is reused with a different body', async () => {
    await createWithKey('reused');
    const different = await createWithKey('reused', { ...sampleOrder, notes: 'different' });
    expect(different.status).toBe(422);
    expect(different.headers.get('content-type')).toBe('application/problem+json');
  });

  it('creates exactly one order for 50 concurrent identical requests', async () => {
    const { apiKey } = await api.newTenant('Storm');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.call('/v1/orders', {
          method: 'POST',
          key: apiKey,
          body: sampleOrder,
          headers: { 'idempotency-key': 'storm' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const list = await api.call('/v1/orders?limit=100', { key: apiKey });
    expect(list.body.items).toHaveLength(1);
  });

  it('keeps keys per tenant: the same key in two tenants makes two orders', async () => {
    const other = await api.newTenant('Other');
    const mine = await createWithKey('shared-key');
    const theirs = await api.call('/v1/orders', {
      method: 'POST',
      key: other.apiKey,
      body: sampleOrder,
      headers: { 'idempotency-key': 'shared-key' },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('keeps keys per API key: two keys of one tenant with one Idempotency-Key get two results', async () => {
    const shop = await api.newTenant('Two clerks');
    const clerk = await api.call('/v1/keys', { method: 'POST', key: shop.apiKey, body: { name: 'Clerk' } });
    const send = (key: string) =>
      api.call('/v1/orders', {
        method: 'POST',
        key,
        body: sampleOrder,
        headers: { 'idempotency-key': 'same' },
      });
    const mine = await send(shop.apiKey);
    const theirs = await send(clerk.body.apiKey);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await send(clerk.body.apiKey)).body.id).toBe(theirs.body.id);
  });

  it.each([
    [
      'a lost race (409)',
      409,
      problems.concurrentChange('The order was changed by another request at the same time.'),
    ],
    ['an outage (503)', 503, new StoreUnavailableError('down')],
  ])('does not keep %s as the answer: the retry with the same key succeeds', async (_, status, failure) => {
    const create = vi.spyOn(api.stack.deps.orders, 'create').mockRejectedValueOnce(failure);
    try {
      const first = await createWithKey(`transient-${status}`);
      expect(first.status).toBe(status);
      const again = await createWithKey(`transient-${status}`);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
    } finally {
      create.mockRestore();
    }
  });

  it('remembers a validation failure as the answer for that key', async () => {
    const first = await createWithKey('invalid', { currency: 'pounds' });
    const again = await createWithKey('invalid', { currency: 'pounds' });
    expect(first.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
  });

  it('rejects an Idempotency-Key longer than 255 characters', async () => {
    const response = await createWithKey('k'.repeat(256));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('/headers/idempotency-key');
  });
});

describe('replays of responses that carry a secret', () => {
  it('answer the same secret again but keep it encrypted at rest', async () => {
    const headers = { 'idempotency-key': 'tenant-once' };
    const body = { name: 'Secretive' };
    const first = await api.call('/v1/admin/tenants', { method: 'POST', key: api.adminKey, body, headers });
    const again = await api.call('/v1/admin/tenants', { method: 'POST', key: api.adminKey, body, headers });
    expect(again.body.apiKey).toBe(first.body.apiKey);
    const stored = await api.stack.deps.idempotency.get('admin', 'tenant-once');
    expect(stored?.response?.body).toBeDefined();
    expect(stored?.response?.body).not.toContain(first.body.apiKey);
  });
});
