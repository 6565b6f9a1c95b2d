/**
 * Webhook fairness on the local stack: tenant V's delivery latency (commit acknowledged →
 * delivered to its one fast endpoint), alone and then beside tenant S, whose 17 endpoints
 * never answer within the attempt timeout. A benchmark, not a test.
 *
 *   npx tsx bench/webhook-fairness.ts [--orders 40]
 */
import '../local/polyfills.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startStack } from '../local/stack.js';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '40' } } });
const orders = Number(values.orders);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const deliveredAt = new Map<string, number>();
const fast = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    deliveredAt.set(
      (JSON.parse(body) as { data: { order: { id: string } } }).data.order.id,
      performance.now(),
    );
    response.writeHead(204).end();
  });
});
// Holds every request until the attempt gives up.
const slow = createServer(() => undefined);
for (const server of [fast, slow])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const urlOf = (server: typeof fast) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

const stack = await startStack({
  inMemory: true,
  port: 0,
  allowLocalWebhooks: true,
  webhookTimeoutMs: 10_000,
});
const admin = { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' };
async function tenant(name: string) {
  const response = await fetch(`${stack.url}/v1/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name }),
  });
  const { apiKey } = (await response.json()) as { apiKey: string };
  return { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
}
const subscribe = (headers: Record<string, string>, url: string) =>
  fetch(`${stack.url}/v1/webhooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url, events: ['order.created'] }),
  });
const createOrder = async (headers: Record<string, string>) => {
  const response = await fetch(`${stack.url}/v1/orders`, {
    method: 'POST',
    headers,
    body: '{"currency":"GBP"}',
  });
  return { id: ((await response.json()) as { id: string }).id, at: performance.now() };
};

async function latencies(headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < orders; index++) {
    const { id, at } = await createOrder(headers);
    while (!deliveredAt.has(id)) await new Promise((resolve) => setTimeout(resolve, 2));
    times.push((deliveredAt.get(id) as number) - at);
  }
  return times.sort((a, b) => a - b);
}
const report = (name: string, times: number[]) =>
  console.log(
    `${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (${times.length} deliveries)`,
  );

try {
  const v = await tenant('V');
  await subscribe(v, urlOf(fast));
  const alone = await latencies(v);
  report('V alone', alone);

  const s = await tenant('S');
  for (let endpoint = 0; endpoint < 17; endpoint++) await subscribe(s, `${urlOf(slow)}?endpoint=${endpoint}`);
  for (let index = 0; index < 10; index++) await createOrder(s);
  const beside = await latencies(v);
  report('V beside S (17 endpoints that never answer)', beside);
  console.log(`p99 beside / alone: ${(percentile(beside, 99) / percentile(alone, 99)).toFixed(2)}×`);
} finally {
  await stack.stop();
  fast.close();
  slow.closeAllConnections();
  slow.close();
}
