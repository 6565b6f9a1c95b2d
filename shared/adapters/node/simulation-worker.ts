/** A worker thread that runs simulations one at a time (simulation-thread.ts starts it). */
import './promise-with-resolvers.js';
import { parentPort } from 'node:worker_threads';
import { type SimulationInput, simulate } from '../../simulation/simulate.js';

parentPort?.on('message', async (input: SimulationInput) => {
  try {
    parentPort?.postMessage({ ok: true, result: await simulate(input) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: (error as Error).message });
  }
});
// Loaded: the deadline of the first simulation starts now, not while modules load.
parentPort?.postMessage({ ready: true });
