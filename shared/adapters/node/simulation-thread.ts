/**
 * Runs simulations in worker threads with a deadline, so a long one never stalls the requests
 * the process serves meanwhile: past the deadline its thread is terminated, whatever it was
 * doing. Threads are kept warm between simulations (starting one costs far more than a
 * simulation), at most a few at a time; further simulations queue for a free one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SimulationResult } from '../../simulation/schema.js';
import type { SimulationInput } from '../../simulation/simulate.js';

export const SIMULATION_DEADLINE_MS = 5_000;
export const MAX_SIMULATION_THREADS = 2;
/** The worker's bundle, beside the api function's own (infra/constructs/function.ts builds it). */
export const SIMULATION_WORKER_BUNDLE = 'simulation-worker.mjs';

export class SimulationDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`The simulation did not finish within ${deadlineMs} ms.`);
  }
}

type Reply = { ok: true; result: SimulationResult } | { ok: false; message: string };

const idle: Worker[] = [];
let started = 0;
const queue: (() => void)[] = [];

export async function simulateOffThread(
  input: SimulationInput,
  deadlineMs = SIMULATION_DEADLINE_MS,
): Promise<SimulationResult> {
  const worker = await takeWorker();
  worker.ref();
  return new Promise<SimulationResult>((resolve, reject) => {
    const finish = (keep: boolean, outcome: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
      if (keep) giveBack(worker);
      else retire(worker);
      outcome();
    };
    const onMessage = (reply: Reply) =>
      finish(true, () => (reply.ok ? resolve(reply.result) : reject(new Error(reply.message))));
    const onFailure = (error: unknown) =>
      finish(false, () =>
        reject(error instanceof Error ? error : new Error(`The thread exited (${error}).`)),
      );
    const timer = setTimeout(
      () => finish(false, () => reject(new SimulationDeadlineError(deadlineMs))),
      deadlineMs,
    );
    worker.on('message', onMessage);
    worker.once('error', onFailure);
    worker.once('exit', onFailure);
    worker.postMessage(input);
  });
}

async function takeWorker(): Promise<Worker> {
  for (;;) {
    const ready = idle.pop();
    if (ready) return ready;
    if (started < MAX_SIMULATION_THREADS) {
      started += 1;
      try {
        return await startWorker();
      } catch (error) {
        started -= 1;
        throw error;
      }
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  }
}

function giveBack(worker: Worker): void {
  // An idle thread does not keep the process alive.
  worker.unref();
  idle.push(worker);
  queue.shift()?.();
}

function retire(worker: Worker): void {
  started -= 1;
  void worker.terminate();
  queue.shift()?.();
}

/** A thread that has loaded the simulator (from the TypeScript sources that takes seconds). */
function startWorker(): Promise<Worker> {
  const bundled = new URL(`./${SIMULATION_WORKER_BUNDLE}`, import.meta.url);
  let worker: Worker;
  if (existsSync(fileURLToPath(bundled))) worker = new Worker(bundled);
  else {
    // From the TypeScript sources (local stack, tests): load them through tsx.
    const source = new URL('./simulation-worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
    worker = new Worker(bootstrap, { eval: true });
  }
  return new Promise((resolve, reject) => {
    worker.once('message', () => {
      worker.off('error', reject);
      resolve(worker);
    });
    worker.once('error', reject);
  });
}
