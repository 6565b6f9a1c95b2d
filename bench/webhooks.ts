/**
 * Webhook delivery on the local stack: time from a committed change (POST /v1/orders
 * acknowledged) to its delivery at a local receiver (median, p99), and deliveries per second
 * to one healthy endpoint. A benchmark, not a test.
 *
 *   npx tsx bench/webhooks.ts [--orders 200] [--burst 500]
 */
import '../local/polyfills.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startStack } from '../local/stack.js';

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '200' }, burst: { type: 'string', default: '500' } },
});
const orders = Number(values.orders);
const burst = Number(values.burst);

const deliveredAt = new Map<string, number>();
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    const event = JSON.parse(body) as { data: { order: { id: string } } };
    deliveredAt.set(event.data.order.id, performance.now());
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function waitFor(count: number) {
  while (deliveredAt.size < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

const stack = await startStack({ inMemory: true, port: 0, allowLocalWebhooks: true });
const headers = { authorization: `Bearer ${stack.demoApiKey}`, 'content-type': 'application/json' };
const createOrder = async () => {
  const response = await fetch(`${stack.url}/v1/orders`, {
    method: 'POST',
    headers,
    body: '{"currency":"GBP"}',
  });
  const acknowledgedAt = performance.now();
  return { id: ((await response.json()) as { id: string }).id, acknowledgedAt };
};
try {
  await fetch(`${stack.url}/v1/webhooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url, events: ['order.created'] }),
  });
  for (let i = 0; i < 20; i++) await createOrder();
  await waitFor(20);
  deliveredAt.clear();
  console.log(`local stack, one endpoint, Node ${process.version}`);

  // Latency: one change at a time, each delivered before the next.
  const latencies: number[] = [];
  for (let i = 0; i < orders; i++) {
    const { id, acknowledgedAt } = await createOrder();
    while (!deliveredAt.has(id)) await new Promise((resolve) => setTimeout(resolve, 1));
    latencies.push((deliveredAt.get(id) as number) - acknowledgedAt);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `commit → delivery     n=${orders} median=${percentile(latencies, 50).toFixed(0)} ms p99=${percentile(latencies, 99).toFixed(0)} ms`,
  );

  // Throughput: a burst of changes from 16 clients, counted from the first to the last delivery.
  deliveredAt.clear();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < burst) await createOrder();
    }),
  );
  await waitFor(burst);
  const seconds = (Math.max(...deliveredAt.values()) - started) / 1000;
  console.log(
    `throughput            n=${burst} ${(burst / seconds).toFixed(0)} deliveries/s (${seconds.toFixed(1)} s)`,
  );
} finally {
  await stack.stop();
  receiver.closeAllConnections();
  receiver.close();
}
