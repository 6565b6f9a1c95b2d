/**
 * Latency of the orders API on the local stack: p50/p99 of POST /v1/orders and
 * GET /v1/orders/{id} with 16 concurrent clients. A benchmark, not a test.
 *
 *   npx tsx bench/api.ts [--requests 2000] [--concurrency 16]
 */
import '../local/polyfills.js';
import { parseArgs } from 'node:util';
import { startStack } from '../local/stack.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

const body = JSON.stringify({
  currency: 'GBP',
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  items: [
    { sku: 'CARD-100', quantity: 500, unitPrice: 12 },
    { sku: 'FLYER-A5', quantity: 100, unitPrice: 30 },
  ],
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function run(label: string, count: number, request: (i: number) => Promise<Response>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const response = await request(i);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!response.ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(22)} n=${count} failures=${failures} p50=${percentile(latencies, 50).toFixed(1)} ms ` +
      `p99=${percentile(latencies, 99).toFixed(1)} ms throughput=${(count / seconds).toFixed(0)}/s`,
  );
}

const stack = await startStack({ inMemory: true, port: 0 });
const headers = { authorization: `Bearer ${stack.demoApiKey}`, 'content-type': 'application/json' };
const ids: string[] = [];
try {
  // Warm up the handler and the database before measuring.
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${stack.url}/v1/orders`, { method: 'POST', headers, body });
    ids.push(((await response.json()) as { id: string }).id);
  }
  console.log(`local stack, ${concurrency} concurrent clients, Node ${process.version}`);
  await run('POST /v1/orders', requests, () =>
    fetch(`${stack.url}/v1/orders`, { method: 'POST', headers, body }),
  );
  await run('GET /v1/orders/{id}', requests, (i) =>
    fetch(`${stack.url}/v1/orders/${ids[i % ids.length]}`, { headers }),
  );
} finally {
  await stack.stop();
}
