import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { startReceiver } from '../support/receiver.js';
import { sampleOrder } from '../support/stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-webhooks-'));
const options = {
  dataDir,
  port: 0,
  adminKey: 'restart-admin-key',
  allowLocalWebhooks: true,
  // The retry is due 1–2 s after the first attempt: long enough to stop the stack in between.
  webhookRetrySchedule: 'PT2S',
};
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, key: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${(stack as RunningStack).url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

it('delivers a pending retry after a restart, resumes the stream, and replays nothing', async () => {
  let healthy = false;
  const receiver = await startReceiver((_request, response) => response.writeHead(healthy ? 200 : 500).end());
  try {
    stack = await startStack(options);
    const key = stack.demoApiKey as string;
    const webhook = await call('/v1/webhooks', key, {
      method: 'POST',
      body: { url: receiver.url, events: ['*'] },
    });
    receiver.secret = webhook.body.secret;
    const first = await call('/v1/orders', key, { method: 'POST', body: sampleOrder });
    await receiver.waitFor(1);
    await eventually(
      'the first attempt to be logged',
      async () =>
        (await call(`/v1/webhooks/${webhook.body.id}/deliveries`, key)).body.items[0]?.attemptCount === 1,
    );
    await stack.stop();
    healthy = true;

    stack = await startStack(options);
    const second = await call('/v1/orders', key, { method: 'POST', body: sampleOrder });
    await receiver.waitFor(3);
    const deliveries = await eventually('both deliveries to succeed', async () => {
      const { items } = (await call(`/v1/webhooks/${webhook.body.id}/deliveries`, key)).body;
      return items.length === 2 && items.every((d: { status: string }) => d.status === 'delivered') && items;
    });
    expect(
      deliveries.map((d: { orderId: string; attemptCount: number }) => [d.orderId, d.attemptCount]),
    ).toEqual([
      [second.body.id, 1],
      [first.body.id, 2],
    ]);
    // The first order's event: attempted before the restart and again after it, with one id.
    const forFirst = receiver.received.filter((r) => r.body.data.order.id === first.body.id);
    expect(forFirst).toHaveLength(2);
    expect(new Set(forFirst.map((r) => r.webhookId)).size).toBe(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(3);
  } finally {
    await receiver.close();
  }
}, 60_000);
