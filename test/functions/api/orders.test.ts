import { describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

async function createOrder(body: unknown = sampleOrder, key?: string) {
  const response = await api.call('/v1/orders', { method: 'POST', body, key });
  expect(response.status).toBe(201);
  return response.body;
}

describe('creating an order', () => {
  it('computes the totals server-side in minor units and starts in the initial stage', async () => {
    const response = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order.id).toMatch(/^ord_[0-9A-Z]{26}$/);
    expect(order.stage).toBe('preliminary');
    expect(order.version).toBe(1);
    expect(order.workflow).toEqual({ version: 0, revision: 2 });
    expect(order.totals).toEqual({
      currency: 'GBP',
      items: 500 * 12 + 100 * 30,
      services: 4000,
      grand: 13000,
    });
    expect(order.items[0].backordered).toBe(0);
    expect(response.headers.get('location')).toBe(`/v1/orders/${order.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
  });

  it('ignores totals the client tries to set and names the field', async () => {
    const response = await api.call('/v1/orders', {
      method: 'POST',
      body: { ...sampleOrder, totals: { grand: 1 }, stage: 'shipped' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/stage', '/totals']);
  });

  it('records the creation as the first history event with the acting key', async () => {
    const order = await createOrder();
    const { body } = await api.call(`/v1/orders/${order.id}/events`);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      type: 'order.created',
      sequence: 1,
      orderId: order.id,
      actor: { type: 'key', role: 'owner' },
      data: { sequence: 1, order: { id: order.id } },
    });
    expect(body.items[0].actor.keyId).toMatch(/^key_/);
    expect(body.nextCursor).toBeNull();
  });
});

describe('reading an order', () => {
  it('answers the order with its version as ETag', async () => {
    const order = await createOrder();
    const response = await api.call(`/v1/orders/${order.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(order);
    expect(response.headers.get('etag')).toBe('"1"');
  });

  it('answers 404 problem+json for an unknown order', async () => {
    const response = await api.call('/v1/orders/ord_00000000000000000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('tenant isolation', () => {
  it("never shows one tenant's orders to another", async () => {
    const order = await createOrder();
    const other = await api.newTenant();
    const asOther = { key: other.apiKey };
    expect((await api.call(`/v1/orders/${order.id}`, asOther)).status).toBe(404);
    expect((await api.call(`/v1/orders/${order.id}/events`, asOther)).status).toBe(404);
    const patch = await api.call(`/v1/orders/${order.id}`, {
      ...asOther,
      method: 'PATCH',
      body: { notes: 'x' },
    });
    expect(patch.status).toBe(404);
    const list = await api.call('/v1/orders', asOther);
    expect(list.body.items).toEqual([]);
    expect((await api.call(`/v1/orders/${order.id}`)).body.notes).toBeUndefined();
  });
});

describe('editing an order', () => {
  it('merges a patch, recomputes totals and records what changed', async () => {
    const order = await createOrder();
    const response = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: {
        items: [{ sku: 'CARD-100', quantity: 1000, unitPrice: 10 }],
        metadata: { po: '4711' },
        notes: 'Rush',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(2);
    expect(response.body.totals.grand).toBe(10_000 + 4000);
    expect(response.body.metadata).toEqual({ po: '4711' });
    expect(response.headers.get('etag')).toBe('"2"');
    const events = (await api.call(`/v1/orders/${order.id}/events`)).body.items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['order.created', 'order.updated']);
    expect(events[1].data.changed.sort()).toEqual(['items', 'metadata', 'notes']);
    expect(events[1].sequence).toBe(2);
  });

  it('removes fields patched to null and merges nested objects', async () => {
    const order = await createOrder({ ...sampleOrder, notes: 'old', metadata: { a: '1', b: '2' } });
    const response = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      body: { notes: null, metadata: { a: null, c: '3' }, shipping: { address: { city: 'Oxford' } } },
    });
    expect(response.status).toBe(200);
    expect(response.body.notes).toBeUndefined();
    expect(response.body.metadata).toEqual({ b: '2', c: '3' });
    expect(response.body.shipping.address).toMatchObject({ city: 'Oxford', line1: '1 Analytical Row' });
  });

  it('rejects a patch that would make the order invalid, naming every problem', async () => {
    const order = await createOrder();
    const response = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      body: { items: [{ sku: 'X', quantity: 0 }], customer: { email: 'not-an-email' }, id: 'ord_x' },
    });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/customer/email', '/id', '/items/0/quantity']);
    expect((await api.call(`/v1/orders/${order.id}`)).body.version).toBe(1);
  });

  it('answers 412 for a stale If-Match and applies a current one', async () => {
    const order = await createOrder();
    const stale = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"7"' },
      body: { notes: 'x' },
    });
    expect(stale.status).toBe(412);
    const current = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: { notes: 'x' },
    });
    expect(current.status).toBe(200);
  });

  it('never loses an update under concurrent patches without If-Match', async () => {
    const order = await createOrder();
    const patches = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.call(`/v1/orders/${order.id}`, { method: 'PATCH', body: { metadata: { [`k${i}`]: String(i) } } }),
      ),
    );
    const statuses = patches.map((p) => p.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const winners = patches.filter((p) => p.status === 200);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const final = (await api.call(`/v1/orders/${order.id}`)).body;
    // Every accepted patch is in the final order: none was silently overwritten.
    for (const winner of winners) {
      for (const [key, value] of Object.entries(winner.body.metadata))
        expect(final.metadata[key]).toBe(value);
    }
    expect(final.version).toBe(1 + winners.length);
    const events = (await api.call(`/v1/orders/${order.id}/events`)).body.items;
    expect(events.map((e: { sequence: number }) => e.sequence)).toEqual(
      Array.from({ length: 1 + winners.length }, (_, i) => i + 1),
    );
  });

  it('lets exactly one of concurrent patches with the same If-Match win', async () => {
    const order = await createOrder();
    const patches = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.call(`/v1/orders/${order.id}`, {
          method: 'PATCH',
          headers: { 'if-match': '"1"' },
          body: { notes: `n${i}` },
        }),
      ),
    );
    expect(patches.filter((p) => p.status === 200)).toHaveLength(1);
    expect(patches.filter((p) => p.status === 412)).toHaveLength(5);
  });
});

describe('listing orders', () => {
  it('pages newest first with an opaque cursor and filters by customer and date', async () => {
    const { apiKey } = await api.newTenant('Lister');
    const created: any[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        await createOrder(
          { ...sampleOrder, customer: { name: 'C', email: i % 2 ? 'odd@example.com' : 'even@example.com' } },
          apiKey,
        ),
      );
    }
    const first = await api.call('/v1/orders?limit=2', { key: apiKey });
    expect(first.body.items.map((o: { id: string }) => o.id)).toEqual([created[4].id, created[3].id]);
    const second = await api.call(`/v1/orders?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
      key: apiKey,
    });
    expect(second.body.items.map((o: { id: string }) => o.id)).toEqual([created[2].id, created[1].id]);

    const odd = await api.call('/v1/orders?customerEmail=ODD@example.com', { key: apiKey });
    expect(odd.body.items.map((o: { id: string }) => o.id)).toEqual([created[3].id, created[1].id]);

    const stage = await api.call('/v1/orders?stage=preliminary&limit=100', { key: apiKey });
    expect(stage.body.items).toHaveLength(5);
    expect((await api.call('/v1/orders?stage=shipped', { key: apiKey })).body.items).toEqual([]);

    const after = encodeURIComponent(created[2].createdAt);
    const recent = await api.call(`/v1/orders?createdAfter=${after}`, { key: apiKey });
    expect(recent.body.items.every((o: { createdAt: string }) => o.createdAt > created[2].createdAt)).toBe(
      true,
    );
    const before = await api.call(`/v1/orders?createdBefore=${after}`, { key: apiKey });
    expect(before.body.items.every((o: { createdAt: string }) => o.createdAt < created[2].createdAt)).toBe(
      true,
    );
  });

  it("filters one customer's orders by stage", async () => {
    const { apiKey } = await api.newTenant('Customer and stage');
    const customer = { name: 'C', email: 'both@example.com' };
    const moved = await createOrder({ ...sampleOrder, customer }, apiKey);
    const waiting = await createOrder({ ...sampleOrder, customer }, apiKey);
    await createOrder({ ...sampleOrder, customer: { name: 'D', email: 'other@example.com' } }, apiKey);
    const submitted = await api.call(`/v1/orders/${moved.id}/transitions`, {
      method: 'POST',
      key: apiKey,
      body: { to: 'submitted' },
    });
    expect(submitted.status).toBe(200);

    const inStage = (stage: string) =>
      api.call(`/v1/orders?customerEmail=both@example.com&stage=${stage}`, { key: apiKey });
    expect((await inStage('submitted')).body.items.map((o: { id: string }) => o.id)).toEqual([moved.id]);
    expect((await inStage('preliminary')).body.items.map((o: { id: string }) => o.id)).toEqual([waiting.id]);
    expect((await inStage('shipped')).body.items).toEqual([]);
  });

  it('answers 400 for a tampered, garbage or foreign cursor', async () => {
    const { apiKey } = await api.newTenant('Cursor');
    await createOrder(sampleOrder, apiKey);
    await createOrder(sampleOrder, apiKey);
    const { body } = await api.call('/v1/orders?limit=1', { key: apiKey });
    const cursor: string = body.nextCursor;
    const [payload, signature] = cursor.split('.') as [string, string];
    const tampered = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace('T#', 'T#x')).toString('base64url')}.${signature}`;
    for (const bad of [tampered, 'garbage', `${cursor}x`, '']) {
      const response = await api.call(`/v1/orders?limit=1&cursor=${encodeURIComponent(bad)}`, {
        key: apiKey,
      });
      if (bad === '') continue;
      expect(response.status, bad).toBe(400);
      expect(response.body.errors[0].path).toBe('/cursor');
    }
    const foreign = await api.call(`/v1/orders?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(foreign.status).toBe(400);
    const otherFilter = await api.call(
      `/v1/orders?limit=1&stage=submitted&cursor=${encodeURIComponent(cursor)}`,
      {
        key: apiKey,
      },
    );
    expect(otherFilter.status).toBe(400);
  });

  it('rejects bad filters, naming each', async () => {
    const response = await api.call('/v1/orders?limit=500&createdAfter=yesterday&colour=red');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/query/colour',
      '/query/createdAfter',
      '/query/limit',
    ]);
  });
});
