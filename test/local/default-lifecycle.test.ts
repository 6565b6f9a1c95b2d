import { describe, expect, it, vi } from 'vitest';
import { TABLE_NAME } from '../../local/stack.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { eventually } from '../support/eventually.js';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack();

const move = (id: string, body: Record<string, unknown>, key?: string) =>
  api.call(`/v1/orders/${id}/transitions`, { method: 'POST', body, key });

async function order(id: string, key?: string) {
  return (await api.call(`/v1/orders/${id}`, { key })).body;
}

describe('the default workflow, from creation to shipped', () => {
  it('reserves stock, raises a purchase order for what is missing, requires a shipment and ends the execution', async () => {
    const { apiKey, tenantId } = await api.newTenant('Lifecycle');
    await api.call('/v1/inventory/CARD-100', {
      method: 'PUT',
      key: apiKey,
      body: { onHand: 300, supplier: 'paperco' },
    });
    await api.call('/v1/inventory/FLYER-A5', { method: 'PUT', key: apiKey, body: { onHand: 1000 } });
    const created = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    const { id } = created.body;

    expect((await move(id, { to: 'submitted' }, apiKey)).status).toBe(200);
    const confirmed = await move(id, { to: 'confirmed', note: 'Priced and approved' }, apiKey);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.stage).toBe('confirmed');

    const afterActions = await eventually('the confirmed stage actions', async () => {
      const current = await order(id, apiKey);
      return current.actions.state === 'succeeded' ? current : undefined;
    });
    expect(afterActions.items.find((item: { sku: string }) => item.sku === 'CARD-100').backordered).toBe(200);
    expect(afterActions.items.find((item: { sku: string }) => item.sku === 'FLYER-A5').backordered).toBe(0);
    const stock = await api.call('/v1/inventory/CARD-100', { key: apiKey });
    expect(stock.body).toMatchObject({ onHand: 300, reserved: 300, available: 0 });
    const purchaseOrders = await api.call(`/v1/orders/${id}/purchase-orders`, { key: apiKey });
    expect(purchaseOrders.body.items).toHaveLength(1);
    expect(purchaseOrders.body.items[0]).toMatchObject({
      supplier: 'paperco',
      items: [{ sku: 'CARD-100', quantity: 200 }],
    });

    expect((await move(id, { to: 'completed' }, apiKey)).status).toBe(200);
    const unshipped = await move(id, { to: 'shipped' }, apiKey);
    expect(unshipped.status).toBe(422);
    expect(unshipped.body.errors.map((e: { path: string }) => e.path)).toEqual(['/requires/shipment']);
    const shipped = await move(
      id,
      { to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: '1Z999' } },
      apiKey,
    );
    expect(shipped.status).toBe(200);
    expect(shipped.body.stage).toBe('shipped');
    expect(shipped.body.shipments[0]).toMatchObject({
      carrier: 'UPS',
      trackingNumber: '1Z999',
      items: [
        { sku: 'CARD-100', quantity: 500 },
        { sku: 'FLYER-A5', quantity: 100 },
      ],
    });

    const events = (await api.call(`/v1/orders/${id}/events?limit=100`, { key: apiKey })).body.items;
    const changes = events.filter((e: { type: string }) => e.type === 'order.stage_changed');
    expect(changes.map((e: { data: { to: string; cause: string } }) => [e.data.to, e.data.cause])).toEqual([
      ['submitted', 'api'],
      ['confirmed', 'api'],
      ['completed', 'api'],
      ['shipped', 'api'],
    ]);
    expect(changes[1].data.note).toBe('Priced and approved');
    const shippedEvent = events.find((e: { type: string }) => e.type === 'order.shipped');
    expect(shippedEvent.data.shipment.trackingNumber).toBe('1Z999');
    expect(events.map((e: { sequence: number }) => e.sequence)).toEqual(
      events.map((_: unknown, i: number) => i + 1),
    );

    await eventually('the execution to end', async () =>
      api.stack.engine.isRunning(tenantId, id) ? undefined : true,
    );
    const transitions = api.stack.engine.stateTransitions.get(id) ?? 0;
    expect(transitions).toBeGreaterThan(0);
    // At most what an order resting at every wait takes: 11 (the compiler test pins the path).
    expect(transitions).toBeLessThanOrEqual(11);
  });
});

describe('orders moved the moment they are created', () => {
  it('still run the next stage’s actions: no transition slips past a wait that is just parking', async () => {
    const { apiKey } = await api.newTenant('Hasty');
    const ids = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const { id } = (await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder }))
          .body;
        expect((await move(id, { to: 'submitted' }, apiKey)).status).toBe(200);
        expect((await move(id, { to: 'confirmed' }, apiKey)).status).toBe(200);
        return id as string;
      }),
    );
    for (const id of ids) {
      await eventually(`the actions of ${id}`, async () =>
        (await order(id, apiKey)).actions.state === 'succeeded' ? true : undefined,
      );
    }
  });
});

describe('a signal that could not be sent after its transition committed', () => {
  it('still reaches the execution, sent again from the table stream', async () => {
    const { apiKey, tenantId } = await api.newTenant('Lost signal');
    const created = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    const { id } = created.body;
    // The execution parks in preliminary first, so the transition owes it a signal.
    const orders = new DynamoOrderStore(
      createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
      TABLE_NAME,
    );
    await eventually('the preliminary wait', async () => (await orders.get(tenantId, id))?.taskToken);
    const engine = api.stack.engine;
    const send = engine.signal.bind(engine);
    let unreachable = true;
    const signal = vi.spyOn(engine, 'signal').mockImplementation(async (token, output) => {
      if (unreachable) throw new Error('Step Functions unreachable');
      return send(token, output);
    });
    try {
      // Every attempt the API makes right after the commit fails.
      expect((await move(id, { to: 'submitted' }, apiKey)).status).toBe(200);
      const failedAttempts = signal.mock.calls.length;
      expect(failedAttempts).toBeGreaterThanOrEqual(3);
      unreachable = false;
      expect((await move(id, { to: 'confirmed' }, apiKey)).status).toBe(200);
      // Only an execution that left preliminary runs the confirmed stage's actions.
      await eventually('the confirmed stage actions', async () =>
        (await order(id, apiKey)).actions.state === 'succeeded' ? true : undefined,
      );
    } finally {
      signal.mockRestore();
    }
  });
});
