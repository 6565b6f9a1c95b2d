/**
 * The workflow diagram of dense workflows on the local stack: how long each request takes
 * and what it answers (an SVG, or a 422 problem+json), and /health's latency meanwhile (it
 * must not wait behind a layout). A benchmark, not a test.
 *
 *   npx tsx bench/diagram.ts [--rounds 5]
 */
import '../local/polyfills.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startStack } from '../local/stack.js';
import { denseWorkflow } from '../test/support/dense-workflow.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

const stack = await startStack({ inMemory: true, port: 0 });
const headers = { authorization: `Bearer ${stack.demoApiKey}`, 'content-type': 'application/json' };

async function measure(name: string, stages: number, perStage: number) {
  const published = await fetch(`${stack.url}/v1/workflow`, {
    method: 'PUT',
    headers,
    body: JSON.stringify(denseWorkflow(stages, perStage)),
  });
  if (published.status !== 201) throw new Error(`publish: ${published.status} ${await published.text()}`);

  const health: number[] = [];
  // The stack runs in this process: how late its event loop ran while diagrams were drawn.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let diagramsDone = false;
  const poller = (async () => {
    while (!diagramsDone) {
      const started = performance.now();
      const response = await fetch(`${stack.url}/health`);
      await response.arrayBuffer();
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const diagrams: { status: number; type: string; ms: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const response = await fetch(`${stack.url}/v1/workflow/diagram`, { headers });
    const type = response.headers.get('content-type') ?? '';
    await response.arrayBuffer();
    diagrams.push({ status: response.status, type, ms: performance.now() - started });
  }
  diagramsDone = true;
  await poller;
  loopDelay.disable();

  health.sort((a, b) => a - b);
  const times = diagrams.map((d) => d.ms).sort((a, b) => a - b);
  const answers = [...new Set(diagrams.map((d) => `${d.status} ${d.type}`))].join(', ');
  console.log(`${name}: ${stages} stages, ${stages * perStage - perStage} transitions`);
  console.log(`  diagram: ${answers}; median ${ms(percentile(times, 50))}, max ${ms(times.at(-1) ?? 0)}`);
  console.log(
    `  /health meanwhile (${health.length} requests): p50 ${ms(percentile(health, 50))}, p99 ${ms(percentile(health, 99))}, max ${ms(health.at(-1) ?? 0)}`,
  );
  const delay = (p: number) => ms(loopDelay.percentile(p) / 1e6);
  console.log(
    `  event-loop delay meanwhile: p50 ${delay(50)}, p99 ${delay(99)}, max ${ms(loopDelay.max / 1e6)}`,
  );
}

try {
  await measure('over the arrow limit', 100, 10);
  await measure('at the arrow limit', 100, 3);
} finally {
  await stack.stop();
}
