import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();
let tenant: { apiKey: string; tenantId: string };

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const post = (path: string, body: unknown = {}) => call(path, { method: 'POST', body });
const stock = async (sku: string) => (await call(`/v1/inventory/${sku}`)).body;

/** 3 × RET-A at 250 and 1 × RET-B at 1000, all shipped: the order is in the final stage `shipped`. */
async function shippedOrder(): Promise<string> {
  const created = await post('/v1/orders', {
    currency: 'GBP',
    customer: { name: 'Ada', email: 'ada@example.com' },
    items: [
      { sku: 'RET-A', quantity: 3, unitPrice: 250 },
      { sku: 'RET-B', quantity: 1, unitPrice: 1000 },
    ],
    shipping: { method: 'pickup' },
  });
  const id = created.body.id as string;
  expect((await post(`/v1/orders/${id}/transitions`, { to: 'submitted' })).status).toBe(200);
  expect((await post(`/v1/orders/${id}/transitions`, { to: 'confirmed' })).status).toBe(200);
  await eventually('the confirmed actions', async () =>
    (await get(id)).actions.state === 'succeeded' ? true : undefined,
  );
  expect((await post(`/v1/orders/${id}/transitions`, { to: 'completed' })).status).toBe(200);
  expect((await post(`/v1/orders/${id}/shipments`, { trackingNumber: 'T-1' })).status).toBe(201);
  await eventually('shipped', async () => ((await get(id)).stage === 'shipped' ? true : undefined));
  return id;
}

beforeAll(async () => {
  tenant = await api.newTenant('Returns');
  await call('/v1/inventory/RET-A', { method: 'PUT', body: { onHand: 10 } });
  await call('/v1/inventory/RET-B', { method: 'PUT', body: { onHand: 10 } });
});

describe('returns of an order in its final stage', () => {
  it('refuses returning more than shipped and not yet returned, naming every line', async () => {
    const id = await shippedOrder();
    expect((await post(`/v1/orders/${id}/returns`, { items: [{ sku: 'RET-A', quantity: 2 }] })).status).toBe(
      201,
    );
    const refused = await post(`/v1/orders/${id}/returns`, {
      items: [
        { sku: 'RET-A', quantity: 1 },
        { sku: 'RET-A', quantity: 1 },
        { sku: 'RET-B', quantity: 2 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual([
      '/items/0/quantity',
      '/items/1/quantity',
      '/items/2/quantity',
      '/items/3/sku',
    ]);
    expect((await get(id)).returns).toHaveLength(1);
  });

  it('receives with a restock visible in inventory, bounds the refund, and only moves forward', async () => {
    const id = await shippedOrder();
    const before = await stock('RET-A');
    const requested = await post(`/v1/orders/${id}/returns`, {
      items: [{ sku: 'RET-A', quantity: 2, reason: 'damaged' }],
      note: 'box crushed',
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', value: 500 });
    const returnPath = `/v1/orders/${id}/returns/${requested.body.id}`;
    const early = await post(`${returnPath}/refund`, { amount: 100 });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    const received = await post(`${returnPath}/receive`, { restock: true });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'received', restocked: true });
    expect(await stock('RET-A')).toMatchObject({
      onHand: before.onHand + 2,
      available: before.available + 2,
    });
    const tooMuch = await post(`${returnPath}/refund`, { amount: 501 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors).toEqual([{ path: '/amount', message: expect.stringContaining('500') }]);
    const refunded = await post(`${returnPath}/refund`, { amount: 500, note: 'in full' });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', refund: { amount: 500, note: 'in full' } });
    expect((await post(`${returnPath}/reject`, {})).status).toBe(409);
    expect((await post(`${returnPath}/receive`, { restock: true })).status).toBe(409);
    expect((await stock('RET-A')).onHand).toBe(before.onHand + 2);
    const events = (await call(`/v1/orders/${id}/events?limit=100`)).body.items as { type: string }[];
    expect(events.filter((event) => event.type.startsWith('return.')).map((event) => event.type)).toEqual([
      'return.requested',
      'return.received',
      'return.refunded',
    ]);
    const listed = (await call(`/v1/orders/${id}/returns`)).body;
    expect(listed).toMatchObject({
      items: [{ id: requested.body.id, status: 'refunded' }],
      nextCursor: null,
    });
  });

  it('lets exactly one of a concurrent receive and reject of one return win', async () => {
    const id = await shippedOrder();
    const before = await stock('RET-B');
    const requested = await post(`/v1/orders/${id}/returns`, { items: [{ sku: 'RET-B', quantity: 1 }] });
    const returnPath = `/v1/orders/${id}/returns/${requested.body.id}`;
    const answers = await Promise.all([
      post(`${returnPath}/receive`, { restock: true }),
      post(`${returnPath}/reject`, { note: 'not ours' }),
      post(`${returnPath}/receive`, { restock: true }),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(2);
    const [stored] = (await get(id)).returns;
    const restocked = stored.status === 'received' ? 1 : 0;
    expect((await stock('RET-B')).onHand).toBe(before.onHand + restocked);
  });
});
