/**
 * How long the workflow simulator takes: a 100-stage workflow, 50 steps (manual moves with
 * actions, item progress, waits that fire timeouts). A benchmark, not a test.
 *
 *   npx tsx bench/simulate.ts
 *
 * "in process" is simulate() itself; "worker thread" is what POST /v1/workflow/simulate pays
 * (a warm thread: the first start, loading the TypeScript sources, is reported separately).
 */
import '../local/polyfills.js';
import { sampleOrder } from '../local/sample-order.js';
import { simulateOffThread } from '../shared/adapters/node/simulation-thread.js';
import { CreateOrderRequest } from '../shared/orders/schema.js';
import { type SimulationStep, SimulationStep as StepSchema } from '../shared/simulation/schema.js';
import { simulate } from '../shared/simulation/simulate.js';
import { validateWorkflow } from '../shared/workflow/validate.js';

const STAGES = 100;
const STEPS = 50;
const RUNS = 10;

const stages = Array.from({ length: STAGES }, (_, index) => {
  const id = `stage_${index}`;
  const last = index === STAGES - 1;
  return {
    id,
    final: last,
    onEnter: [{ type: 'notify', event: `order.${id}` }, { type: 'inventory.reserve' }],
    transitions: last
      ? []
      : [
          { to: `stage_${index + 1}`, requires: ['items'] },
          { to: `stage_${STAGES - 1}`, auto: true, when: { field: 'allItemsReady', op: 'eq', value: true } },
        ],
    ...(last ? {} : { timeout: { after: 'P2D', to: `stage_${index + 1}` } }),
  };
});
const validation = validateWorkflow({
  format: 'orderflow.workflow/v1',
  name: 'Long',
  initialStage: 'stage_0',
  stages,
});
if (!validation.workflow) throw new Error(JSON.stringify(validation.errors));
// Every 10th step waits 3 days (the stage's 2-day timeout moves the order on), every 10th
// records progress (the auto route is re-checked), the others move to the next stage.
let reached = 0;
const steps: SimulationStep[] = Array.from({ length: STEPS }, (_, index) => {
  if (index % 10 === 9) {
    reached += 1;
    return StepSchema.parse({ wait: 'P3D' });
  }
  if (index % 10 === 4) return StepSchema.parse({ progress: { sku: 'CARD-100', status: 'ready' } });
  reached += 1;
  return StepSchema.parse({ to: `stage_${reached}` });
});
const input = {
  workflow: validation.workflow,
  order: CreateOrderRequest.parse(sampleOrder),
  steps,
  role: 'owner',
  startAt: new Date().toISOString(),
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
async function time(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

const sample = await simulate(input);
const coldStart = performance.now();
await simulateOffThread(input, 60_000);
const cold = performance.now() - coldStart;
const inProcess = await time(() => simulate(input));
const threaded = await time(() => simulateOffThread(input, 60_000));
console.log(`Node ${process.version}; ${STAGES} stages, ${STEPS} steps, median of ${RUNS}`);
console.log(
  `path ${sample.path.length} stages, ${sample.actions.length} actions, ${sample.refused.length} refused, ${sample.stateTransitions} state transitions, $${sample.estimatedUsdPer1000Orders} per 1,000 orders`,
);
console.log(
  `in process        median ${median(inProcess).toFixed(1)} ms, max ${Math.max(...inProcess).toFixed(1)} ms`,
);
console.log(
  `worker thread     median ${median(threaded).toFixed(1)} ms, max ${Math.max(...threaded).toFixed(1)} ms`,
);
console.log(`first thread start (loads the sources) ${cold.toFixed(0)} ms`);
process.exit(0);
