import { describe, expect, it } from 'vitest';
import { sampleOrder } from '../../../../local/sample-order.js';
import {
  SimulationDeadlineError,
  simulateOffThread,
} from '../../../../shared/adapters/node/simulation-thread.js';
import { CreateOrderRequest } from '../../../../shared/orders/schema.js';
import { simulate } from '../../../../shared/simulation/simulate.js';
import { defaultWorkflow } from '../../../../shared/workflow/default-workflow.js';

const input = {
  workflow: defaultWorkflow,
  order: CreateOrderRequest.parse(sampleOrder),
  steps: [{ to: 'submitted' }, { to: 'confirmed' }, { wait: 'P2D' }],
  role: 'owner',
  startAt: '2026-12-01T09:00:00.000Z',
};

describe('a simulation off the event loop', () => {
  it('answers what the simulator answers in the same process', async () => {
    const [threaded, inline] = await Promise.all([simulateOffThread(input, 30_000), simulate(input)]);
    expect(threaded).toEqual(inline);
  });

  it('keeps a thread warm: the next simulation does not start one again', async () => {
    await simulateOffThread(input, 30_000);
    const started = performance.now();
    await simulateOffThread(input, 30_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('is stopped at its deadline while the process keeps serving timers', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    // Two centuries of waits: thousands of re-armed waits to run through.
    const long = { ...input, steps: Array.from({ length: 200 }, () => ({ wait: 'P365D' })) };
    await expect(simulateOffThread(long, 5)).rejects.toBeInstanceOf(SimulationDeadlineError);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
    // The thread that ran out of time is replaced: the next simulation still runs.
    await expect(simulateOffThread(input, 30_000)).resolves.toMatchObject({ truncated: false });
  });
});
