import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/orders/schema.js';
import { contextFor, freshSku, orderWith, runnerFor } from '../../support/actions.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

const put = (sku: string, body: unknown, key?: string) =>
  api.call(`/v1/inventory/${encodeURIComponent(sku)}`, { method: 'PUT', body, key });
const get = (sku: string, key?: string) => api.call(`/v1/inventory/${encodeURIComponent(sku)}`, { key });
const reserve = { id: 'reserve', type: 'inventory.reserve' } as const;

describe('PUT /v1/inventory/{sku}', () => {
  it('sets the stock and answers the level, which GET reads back', async () => {
    const sku = freshSku('CARD');
    const response = await put(sku, { onHand: 120, supplier: 'paperco' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sku, onHand: 120, reserved: 0, available: 120, supplier: 'paperco' });
    expect((await get(sku)).body).toEqual(response.body);
  });

  it('keeps the supplier when a later PUT does not name one', async () => {
    const sku = freshSku();
    await put(sku, { onHand: 1, supplier: 'inkco' });
    expect((await put(sku, { onHand: 7 })).body).toEqual({
      sku,
      onHand: 7,
      reserved: 0,
      available: 7,
      supplier: 'inkco',
    });
    const plain = freshSku();
    expect((await put(plain, { onHand: 0 })).body).toMatchObject({ onHand: 0, supplier: null });
  });

  it('answers 400 listing every problem with its path', async () => {
    const response = await put(freshSku(), { onHand: -1, supplier: '', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '/colour',
      '/onHand',
      '/supplier',
    ]);
    const fractional = await put(freshSku(), { onHand: 1.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.errors.map((error: { path: string }) => error.path)).toEqual(['/onHand']);
    expect((await put(freshSku(), {})).body.errors.map((error: { path: string }) => error.path)).toEqual([
      '/onHand',
    ]);
  });

  it('answers 400 for a SKU that no item could carry', async () => {
    const response = await put('no spaces allowed', { onHand: 1 });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(['/params/sku']);
    expect((await get('no spaces allowed')).status).toBe(400);
  });

  it('refuses with 409 an onHand below what orders have reserved, naming the amount', async () => {
    const sku = freshSku();
    await put(sku, { onHand: 5 });
    await runnerFor(api.stack).runner.run(contextFor(orderWith([{ sku, quantity: 3 }]), reserve));

    const refused = await put(sku, { onHand: 2 });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ status: 409, reserved: 3 });
    expect(refused.body.detail).toMatch(/3 units/);
    expect((await get(sku)).body).toMatchObject({ onHand: 5, reserved: 3, available: 2 });

    expect((await put(sku, { onHand: 3 })).body).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
  });

  it('keeps available = onHand − reserved when stock is set while orders reserve', async () => {
    const sku = freshSku();
    await put(sku, { onHand: 20 });
    const { runner } = runnerFor(api.stack);
    const reserving = Array.from({ length: 20 }, () =>
      runner.run(contextFor(orderWith([{ sku, quantity: 1 }]), reserve)),
    );
    // A 503 (DynamoDB Local overloaded by the race) says "retry", as it would to any client.
    const setStock = async () => {
      for (let attempt = 1; ; attempt++) {
        const response = await put(sku, { onHand: 30 });
        if (response.status !== 503 || attempt === 5) return response.status;
      }
    };
    const setting = Array.from({ length: 5 }, setStock);
    await Promise.all(reserving);
    expect(await Promise.all(setting)).toEqual([200, 200, 200, 200, 200]);
    expect((await get(sku)).body).toMatchObject({ onHand: 30, reserved: 20, available: 10 });
  });
});

describe('GET /v1/inventory/{sku}', () => {
  it('answers 404 for a SKU without stock records', async () => {
    const response = await get(freshSku());
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it("keeps each tenant's stock to itself", async () => {
    const sku = freshSku();
    await put(sku, { onHand: 9 });
    const other = await api.newTenant();
    expect((await get(sku, other.apiKey)).status).toBe(404);
    expect((await put(sku, { onHand: 1 }, other.apiKey)).body).toMatchObject({ onHand: 1, available: 1 });
    expect((await get(sku)).body).toMatchObject({ onHand: 9, available: 9 });
  });

  it('requires an API key', async () => {
    expect((await api.call(`/v1/inventory/${freshSku()}`, { key: null })).status).toBe(401);
  });
});

describe("an order's purchase orders and labor tasks", () => {
  async function orderWithWork(): Promise<Order> {
    const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    expect(created.status).toBe(201);
    const order = created.body as Order;
    const { runner } = runnerFor(api.stack);
    const reserved = (await runner.run(contextFor(order, reserve))).apply?.(order) ?? order;
    const raise = {
      id: 'po',
      type: 'purchase_order.create',
      params: { supplierFallback: 'wholesale' },
    } as const;
    await runner.run(contextFor(reserved, raise));
    await runner.run(contextFor(reserved, raise, { entry: 2 }));
    await runner.run(
      contextFor(order, { id: 'print', type: 'labor.schedule', params: { team: 'press', fixedHours: 4 } }),
    );
    return order;
  }

  it('lists the purchase orders per supplier, newest stage entry first, a page at a time', async () => {
    const order = await orderWithWork();
    const all = await api.call(`/v1/orders/${order.id}/purchase-orders`);
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    // sampleOrder: CARD-100 from paperco, FLYER-A5 with no supplier → the fallback; none of it in stock.
    expect(
      all.body.items.map((po: { entry: number; supplier: string }) => `${po.entry}:${po.supplier}`),
    ).toEqual(['2:wholesale', '2:paperco', '1:wholesale', '1:paperco']);
    expect(all.body.items[3]).toMatchObject({
      items: [{ sku: 'CARD-100', quantity: 500 }],
      orderId: order.id,
    });

    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api.call(`/v1/orders/${order.id}/purchase-orders?limit=3${query}`);
      expect(page.status).toBe(200);
      pages.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.body.items);
  });

  it('lists the labor tasks', async () => {
    const order = await orderWithWork();
    const response = await api.call(`/v1/orders/${order.id}/labor-tasks`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [expect.objectContaining({ team: 'press', hours: 4, dueAt: null, orderId: order.id })],
      nextCursor: null,
    });
  });

  it("answers 404 for an unknown order or another tenant's, and 400 for a foreign cursor", async () => {
    const order = await orderWithWork();
    const other = await api.newTenant();
    for (const list of ['purchase-orders', 'labor-tasks']) {
      expect((await api.call(`/v1/orders/${order.id}/${list}`, { key: other.apiKey })).status).toBe(404);
      expect((await api.call(`/v1/orders/ord_00000000000000000000000000/${list}`)).status).toBe(404);
    }
    const page = await api.call(`/v1/orders/${order.id}/purchase-orders?limit=1`);
    const foreign = await api.call(
      `/v1/orders/${order.id}/labor-tasks?cursor=${encodeURIComponent(page.body.nextCursor)}`,
    );
    expect(foreign.status).toBe(400);
    expect((await api.call(`/v1/orders/${order.id}/labor-tasks?limit=0`)).status).toBe(400);
  });
});

describe('GET /v1/actions/signing-secret', () => {
  it("answers the tenant's stable whsec_ secret, different for every tenant", async () => {
    const first = await api.call('/v1/actions/signing-secret');
    expect(first.status).toBe(200);
    expect(first.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await api.call('/v1/actions/signing-secret')).body).toEqual(first.body);
    const other = await api.newTenant();
    const theirs = await api.call('/v1/actions/signing-secret', { key: other.apiKey });
    expect(theirs.body.secret).not.toBe(first.body.secret);
    expect(api.stack.deps.actionSigning.secretFor(other.tenantId)).toBe(theirs.body.secret);
  });
});
