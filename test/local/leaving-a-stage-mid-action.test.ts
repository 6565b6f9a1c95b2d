import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();

/** Every reservation either is recorded on the order, or was never left behind. */
describe('leaving a stage while its actions run', () => {
  it('leaves no reservation the order does not record', async () => {
    const { apiKey } = await api.newTenant('Race shop');
    const call = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
      api.call(path, { method, key: apiKey, body });

    for (let round = 0; round < 4; round++) {
      const sku = `SHORT-${round}`;
      await call(`/v1/inventory/${sku}`, { onHand: 3, supplier: 'paperco' }, 'PUT');
      const created = await call('/v1/orders', {
        currency: 'GBP',
        customer: { name: 'Ada', email: 'ada@example.com' },
        items: [{ sku, quantity: 5, unitPrice: 100 }],
      });
      const id = created.body.id;
      expect((await call(`/v1/orders/${id}/transitions`, { to: 'submitted' })).status).toBe(200);
      expect((await call(`/v1/orders/${id}/transitions`, { to: 'confirmed' })).status).toBe(200);
      // At once, while confirmed's inventory.reserve may still be running.
      const completed = await call(`/v1/orders/${id}/transitions`, { to: 'completed' });
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);

      // Settled: whatever the race did, stock and order agree.
      const settled = await eventually(`round ${round} to settle`, async () => {
        const order = (await call(`/v1/orders/${id}`)).body;
        const level = (await call(`/v1/inventory/${sku}`)).body;
        const events = (await call(`/v1/orders/${id}/events?limit=100`)).body.items as { type: string }[];
        const reservedRecorded = events.some((event) => event.type === 'order.action_succeeded');
        const consistent = reservedRecorded
          ? level.reserved === 3 && order.items[0].backordered === 2
          : level.reserved === 0 && order.items[0].backordered === 0;
        return order.stage === 'completed' && consistent && { reservedRecorded };
      });
      expect(settled).toBeTruthy();
    }
  }, 120_000);
});
