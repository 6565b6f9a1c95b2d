import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { startReceiver } from '../support/receiver.js';
import { sampleOrder } from '../support/stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-restart-'));
const stacks: RunningStack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const options = { dataDir, port: 0, demoApiKey: 'demo-restart-key', allowLocalWebhooks: true };
const headers = { authorization: 'Bearer demo-restart-key', 'content-type': 'application/json' };

async function call(stack: RunningStack, path: string, method = 'GET', body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('restarting the local stack in the middle of a lifecycle', () => {
  it('resumes the order where it was, runs the next stage, and delivers its shipment to webhooks', async () => {
    const receiver = await startReceiver();
    const first = await startStack(options);
    stacks.push(first);
    const subscription = await call(first, '/v1/webhooks', 'POST', {
      url: receiver.url,
      events: ['order.shipped'],
    });
    expect(subscription.status).toBe(201);
    receiver.secret = subscription.body.secret;
    await call(first, '/v1/inventory/CARD-100', 'PUT', { onHand: 1000 });
    const order = (await call(first, '/v1/orders', 'POST', sampleOrder)).body;
    expect(
      (await call(first, `/v1/orders/${order.id}/transitions`, 'POST', { to: 'submitted' })).status,
    ).toBe(200);
    await first.stop();
    stacks.pop();

    const second = await startStack(options);
    stacks.push(second);
    expect(second.engine.isRunning('demo', order.id)).toBe(true);
    expect(
      (await call(second, `/v1/orders/${order.id}/transitions`, 'POST', { to: 'confirmed' })).status,
    ).toBe(200);
    const confirmed = await eventually('the confirmed actions after the restart', async () => {
      const current = (await call(second, `/v1/orders/${order.id}`)).body;
      return current.actions.state === 'succeeded' ? current : undefined;
    });
    expect(confirmed.items.find((item: { sku: string }) => item.sku === 'CARD-100').backordered).toBe(0);
    expect((await call(second, '/v1/inventory/CARD-100')).body.reserved).toBe(500);

    await call(second, `/v1/orders/${order.id}/transitions`, 'POST', { to: 'completed' });
    const shipped = await call(second, `/v1/orders/${order.id}/transitions`, 'POST', {
      to: 'shipped',
      shipment: { carrier: 'UPS', trackingNumber: '1ZRESTART' },
    });
    expect(shipped.status).toBe(200);
    const [delivery] = await receiver.waitFor(1, 20_000);
    expect(delivery?.verified).toBe(true);
    expect(delivery?.body).toMatchObject({
      type: 'order.shipped',
      data: {
        order: { id: order.id, stage: 'shipped' },
        shipment: { carrier: 'UPS', trackingNumber: '1ZRESTART' },
      },
    });
    await receiver.close();
    // Two full starts of the stack on a data folder, a stop, and a lifecycle in between.
  }, 120_000);
});
