import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../support/stack.js';
import { LONG } from './support.js';

/**
 * The database comes back on the port it left, so no other test may be handed that port
 * meanwhile: one below the ephemeral range (32768 and up), which binding port 0 never gives.
 */
async function portBelowEphemeralRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-dbloss-'));
const api = useStack({ inMemory: false, dataDir, dynamoPort: await portBelowEphemeralRange() });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CLIENTS = 8;

it('answers 503 problem+json within 2 s while DynamoDB Local is gone, half-writes nothing, and recovers', async () => {
  const acknowledged = new Set<string>();
  const outage: { status: number; ms: number; contentType: string | null }[] = [];
  let phase: 'before' | 'down' | 'after' = 'before';
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    let n = 0;
    while (running) {
      const started = performance.now();
      const requestPhase = phase;
      const response = await api.call(n++ % 3 === 2 ? '/v1/orders?limit=5' : '/v1/orders', {
        method: n % 3 === 0 ? 'GET' : 'POST',
        body: n % 3 === 0 ? undefined : sampleOrder,
        headers: { 'idempotency-key': `c${client}-${n}-${Math.random()}` },
      });
      const ms = performance.now() - started;
      if (response.status === 201) acknowledged.add(response.body.id);
      if (requestPhase === 'down' && phase === 'down') {
        outage.push({ status: response.status, ms, contentType: response.headers.get('content-type') });
      }
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await api.stack.dynamo.stop();
  phase = 'down';
  await new Promise((resolve) => setTimeout(resolve, LONG ? 8000 : 3000));
  phase = 'after';
  await api.stack.restartDatabase();
  const recovered = performance.now();
  // Recovery: orders are accepted again.
  let first201: number | undefined;
  while (first201 === undefined && performance.now() - recovered < 20_000) {
    const response = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    if (response.status === 201) first201 = performance.now() - recovered;
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  running = false;
  await Promise.all(clients);

  expect(outage.length).toBeGreaterThan(0);
  const slowest = Math.max(...outage.map((o) => o.ms));
  console.log(
    `database loss: ${outage.length} requests while down, statuses ${[...new Set(outage.map((o) => o.status))]}, slowest ${slowest.toFixed(0)} ms; first order accepted ${first201?.toFixed(0)} ms after restart`,
  );
  for (const answer of outage) {
    expect(answer.status).toBe(503);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.ms).toBeLessThan(2000);
  }
  expect(first201).toBeDefined();

  // Nothing half-written: every acknowledged order is there, and every order that exists has
  // its order.created event and a gap-free history.
  const orders: { id: string; version: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(
      `/v1/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    orders.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  const ids = new Set(orders.map((order) => order.id));
  for (const id of acknowledged) expect(ids.has(id), id).toBe(true);
  for (const order of orders) {
    const events = (await api.call(`/v1/orders/${order.id}/events?limit=100`)).body.items;
    expect(events[0]?.type, order.id).toBe('order.created');
    expect(events.map((event: { sequence: number }) => event.sequence)).toEqual(
      events.map((_: unknown, i: number) => i + 1),
    );
  }
}, 120_000);
