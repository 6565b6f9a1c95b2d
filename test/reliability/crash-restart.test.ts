import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { javaRunning, useNpmStart } from '../support/npm-start.js';
import { startReceiver } from '../support/receiver.js';
import { sampleOrder } from '../support/stack.js';
import { LONG } from './support.js';

const ORDERS = LONG ? 40 : 8;
const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-crash-'));
const env = {
  ORDERFLOW_DATA_DIR: dataDir,
  PORT: '0',
  ORDERFLOW_ALLOW_LOCAL_WEBHOOKS: '1',
  ORDERFLOW_WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S,PT1S,PT1S,PT1S,PT1S,PT1S,PT1S,PT1S',
  ORDERFLOW_ADMIN_KEY: 'crash-admin-key',
  ORDERFLOW_DEMO_API_KEY: 'crash-demo-key',
};
const KEY = env.ORDERFLOW_DEMO_API_KEY;
const start = useNpmStart(env);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function call(url: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      ...(init.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const NEXT: Record<string, Record<string, unknown>> = {
  preliminary: { to: 'submitted' },
  submitted: { to: 'confirmed' },
  confirmed: { to: 'completed' },
  completed: { to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: '1Z1' } },
};
const RANK = ['preliminary', 'submitted', 'confirmed', 'completed', 'shipped'];

/** Moves an order one stage on; answers the stage it is in afterwards (or undefined: not now). */
async function step(url: string, id: string): Promise<string | undefined> {
  const order = await call(url, `/v1/orders/${id}`);
  if (order.status !== 200) return undefined;
  const { stage, actions } = order.body;
  if (stage === 'shipped') return stage;
  if (stage === 'confirmed' && actions?.state !== 'succeeded') return undefined;
  const moved = await call(url, `/v1/orders/${id}/transitions`, { method: 'POST', body: NEXT[stage] });
  return moved.status === 200 ? moved.body.stage : undefined;
}

it('loses nothing when the whole stack is SIGKILLed mid-lifecycle with webhooks pending', async () => {
  // Fails every first attempt while the first process runs, so deliveries are pending at the kill.
  let healthy = false;
  const seenOnce = new Set<string>();
  const receiver = await startReceiver((request, response) => {
    if (!healthy && !seenOnce.has(request.webhookId)) {
      seenOnce.add(request.webhookId);
      response.writeHead(500).end();
      return;
    }
    response.writeHead(204).end();
  });
  try {
    let stack = await start();
    const webhook = await call(stack.url, '/v1/webhooks', {
      method: 'POST',
      body: { url: receiver.url, events: ['*'] },
    });
    expect(webhook.status).toBe(201);
    receiver.secret = webhook.body.secret;
    await call(stack.url, '/v1/inventory/CARD-100', { method: 'PUT', body: { onHand: 100_000 } });

    /** Highest stage acknowledged with a 2xx, per order. */
    const acknowledged = new Map<string, string>();
    let killed = false;
    const drivers = Array.from({ length: ORDERS }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 30));
      try {
        const created = await call(stack.url, '/v1/orders', { method: 'POST', body: sampleOrder });
        if (created.status !== 201) return;
        acknowledged.set(created.body.id, 'preliminary');
        while (!killed) {
          const stage = await step(stack.url, created.body.id);
          if (stage) acknowledged.set(created.body.id, stage);
          if (stage === 'shipped') return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } catch {
        // The connection died with the process: that request was never acknowledged.
      }
    });
    // Kill once some orders are well on their way and others have barely started.
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      [...acknowledged.values()].filter((s) => s !== 'preliminary').length < ORDERS / 2
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stack.child.kill('SIGKILL');
    killed = true;
    await Promise.all(drivers);
    const oldPort = stack.dynamoPort;
    const javaGone = Date.now() + 10_000;
    while (javaRunning(oldPort) && Date.now() < javaGone)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(javaRunning(oldPort)).toBe(false);
    expect(acknowledged.size).toBeGreaterThan(0);

    healthy = true;
    stack = await start();
    // Every acknowledged order exists, at least at the stage it was acknowledged in.
    for (const [id, stage] of acknowledged) {
      const order = await call(stack.url, `/v1/orders/${id}`);
      expect(order.status, id).toBe(200);
      expect(RANK.indexOf(order.body.stage), `${id} at ${order.body.stage}`).toBeGreaterThanOrEqual(
        RANK.indexOf(stage),
      );
    }
    // Every one continues to its end.
    const finishBy = Date.now() + 60_000;
    const unfinished = new Set(acknowledged.keys());
    while (unfinished.size > 0 && Date.now() < finishBy) {
      for (const id of [...unfinished]) if ((await step(stack.url, id)) === 'shipped') unfinished.delete(id);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...unfinished]).toEqual([]);

    // History: gap-free, no duplicates; every committed event delivered (by its id).
    const committed = new Set<string>();
    for (const id of acknowledged.keys()) {
      const events = (await call(stack.url, `/v1/orders/${id}/events?limit=100`)).body.items;
      expect(events.map((event: { sequence: number }) => event.sequence)).toEqual(
        events.map((_: unknown, i: number) => i + 1),
      );
      expect(events.filter((event: { type: string }) => event.type === 'order.shipped')).toHaveLength(1);
      for (const event of events) committed.add(event.id);
    }
    const delivered = () => new Set(receiver.received.filter((r) => r.verified).map((r) => r.webhookId));
    const deliverBy = Date.now() + 30_000;
    while ([...committed].some((id) => !delivered().has(id)) && Date.now() < deliverBy) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...committed].filter((id) => !delivered().has(id))).toEqual([]);
    stack.child.kill('SIGTERM');
  } finally {
    await receiver.close();
  }
}, 180_000);
