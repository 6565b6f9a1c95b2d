import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { useStack } from '../support/stack.js';

const api = useStack({ allowLocalWebhooks: true });
let tenant: { apiKey: string; tenantId: string };
let receiver: Receiver;

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const move = (id: string, to: string, extra: Record<string, unknown> = {}) =>
  call(`/v1/orders/${id}/transitions`, { method: 'POST', body: { to, ...extra } });
const ship = (id: string, body: unknown) => call(`/v1/orders/${id}/shipments`, { method: 'POST', body });
const history = async (id: string) =>
  (await call(`/v1/orders/${id}/events?limit=100`)).body.items as { type: string; data: any }[];

/** An order of 2 × A and 1 × B under the built-in default, brought to `completed`. */
async function completedOrder(): Promise<string> {
  const created = await call('/v1/orders', {
    method: 'POST',
    body: {
      currency: 'GBP',
      customer: { name: 'Ada', email: 'ada@example.com' },
      items: [
        { sku: 'SHIP-A', quantity: 2, unitPrice: 100 },
        { sku: 'SHIP-B', quantity: 1, unitPrice: 300 },
      ],
      shipping: { method: 'pickup' },
    },
  });
  expect(created.body.workflow).toEqual({ version: 0, revision: 2 });
  const id = created.body.id as string;
  expect((await move(id, 'submitted')).status).toBe(200);
  expect((await move(id, 'confirmed')).status).toBe(200);
  await eventually('the confirmed actions', async () =>
    (await get(id)).actions.state === 'succeeded' ? true : undefined,
  );
  expect((await move(id, 'completed')).status).toBe(200);
  return id;
}

beforeAll(async () => {
  tenant = await api.newTenant('Parcels');
  receiver = await startReceiver();
  const subscription = await call('/v1/webhooks', {
    method: 'POST',
    body: { url: receiver.url, events: ['order.shipment_created', 'order.shipped'] },
  });
  expect(subscription.status).toBe(201);
  receiver.secret = subscription.body.secret;
});

afterAll(async () => {
  await receiver?.close();
});

describe('partial shipments under the built-in default', () => {
  it('announces each of three parcels, then ships the order by itself with one order.shipped', async () => {
    const id = await completedOrder();
    const parcels = [
      { carrier: 'UPS', trackingNumber: '1Z-1', items: [{ sku: 'SHIP-A', quantity: 1 }] },
      { carrier: 'UPS', trackingNumber: '1Z-2', items: [{ sku: 'SHIP-A', quantity: 1 }] },
      { carrier: 'DHL', trackingNumber: 'JD-3' },
    ];
    for (const [index, parcel] of parcels.entries()) {
      const answer = await ship(id, parcel);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ trackingNumber: parcel.trackingNumber });
      expect(answer.body.id).toMatch(/^shp_/);
      // Until the last parcel the order waits in completed.
      if (index < 2) expect((await get(id)).stage).toBe('completed');
    }
    await eventually('the automatic move to shipped', async () =>
      (await get(id)).stage === 'shipped' ? true : undefined,
    );
    const deliveries = await receiver.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ours = receiver.received.filter((delivery) => delivery.body.data.order.id === id);
    expect(ours.every((delivery) => delivery.verified)).toBe(true);
    expect(ours.map((delivery) => delivery.body.type)).toEqual([
      'order.shipment_created',
      'order.shipment_created',
      'order.shipment_created',
      'order.shipped',
    ]);
    expect(ours.slice(0, 3).map((delivery) => delivery.body.data.shipment.trackingNumber)).toEqual([
      '1Z-1',
      '1Z-2',
      'JD-3',
    ]);
    // The last parcel shipped what was left: the single B.
    expect(ours[2]?.body.data.shipment.items).toEqual([{ sku: 'SHIP-B', quantity: 1 }]);
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    const order = await get(id);
    expect(order.items.map((item: { shippedQuantity: number }) => item.shippedQuantity)).toEqual([2, 1]);
    expect((await history(id)).filter((event) => event.type === 'order.shipped')).toHaveLength(1);
    const listed = await call(`/v1/orders/${id}/shipments?limit=2`);
    expect(listed.body.items.map((s: { trackingNumber: string }) => s.trackingNumber)).toEqual([
      'JD-3',
      '1Z-2',
    ]);
    const rest = await call(`/v1/orders/${id}/shipments?limit=2&cursor=${listed.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ trackingNumber: '1Z-1' }], nextCursor: null });
  });

  it('refuses over-shipping and unknown SKUs naming every line, summed per SKU, and records nothing', async () => {
    const id = await completedOrder();
    const before = await get(id);
    const refused = await ship(id, {
      items: [
        { sku: 'SHIP-A', quantity: 1 },
        { sku: 'SHIP-A', quantity: 2 },
        { sku: 'NOPE', quantity: 1 },
        { sku: 'SHIP-B', quantity: 1 },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual([
      '/items/0/quantity',
      '/items/1/quantity',
      '/items/2/sku',
    ]);
    const after = await get(id);
    expect(after.version).toBe(before.version);
    expect(after.shipments).toEqual([]);
  });

  it('takes shipments only in a shipping stage, and a transition carries one only where its target takes one', async () => {
    const created = await call('/v1/orders', {
      method: 'POST',
      body: { currency: 'GBP', items: [{ sku: 'SHIP-C', quantity: 5, unitPrice: 1 }] },
    });
    const id = created.body.id as string;
    const inPreliminary = await ship(id, { items: [{ sku: 'SHIP-C', quantity: 1 }] });
    expect(inPreliminary.status).toBe(409);
    expect(inPreliminary.body.shippingStages).toEqual(['completed']);
    const cancelWithShipment = await move(id, 'cancelled', {
      shipment: { carrier: 'UPS', trackingNumber: '1Z', items: [{ sku: 'SHIP-C', quantity: 5 }] },
    });
    expect(cancelWithShipment.status).toBe(422);
    expect(cancelWithShipment.body.errors).toContainEqual({
      path: '/shipment',
      message: 'The stage "cancelled" takes no shipment.',
    });
    expect((await get(id)).shipments).toEqual([]);
  });

  it('refuses a transition whose shipment ships one SKU twice over on two lines', async () => {
    const id = await completedOrder();
    const refused = await move(id, 'shipped', {
      shipment: {
        carrier: 'UPS',
        trackingNumber: '1Z',
        items: [
          { sku: 'SHIP-A', quantity: 2 },
          { sku: 'SHIP-A', quantity: 2 },
        ],
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual([
      '/shipment/items/0/quantity',
      '/shipment/items/1/quantity',
    ]);
    expect((await get(id)).stage).toBe('completed');
  });
});
