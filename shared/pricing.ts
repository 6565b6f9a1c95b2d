/**
 * What running orders costs on AWS: list prices and the per-call model both the lifecycle
 * benchmark (bench/lifecycle.ts, which measures the counts) and the workflow simulator
 * (shared/simulation, which counts them for one sample order) price with.
 */

/** us-east-1 list prices, as in docs/deploy.md. */
export const PRICES = {
  region: 'us-east-1',
  httpApiPerRequest: 1.0 / 1e6,
  lambdaPerRequest: 0.2 / 1e6,
  lambdaPerGbSecond: 0.0000133334,
  stepFunctionsPerTransition: 0.025 / 1000,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  kmsPerRequest: 0.03 / 10_000,
};

/** Memory of each function in infra/ (GB): the authorizer has 512 MB, the others 1,024 MB. */
export const MEMORY_GB = { api: 1, authorizer: 0.5, task: 1, events: 1, delivery: 1 };

/**
 * Billed duration per warm invocation on AWS (ms), as docs/deploy.md assumes: local durations
 * on a shared 2-core machine measure queueing behind DynamoDB Local, not Lambda compute.
 */
export const MODEL_MS = { api: 50, authorizer: 10, task: 100, events: 50, delivery: 100 };

/**
 * DynamoDB write units per write, from the lifecycle benchmark's measurement (BENCHMARKS.md:
 * 9 order transactions took 76 WCU, a wait's task-token write 2): an order change is one
 * transaction of the order item, its history event and its indexes; reads are one strongly
 * consistent GetItem of an item under 4 KB.
 */
export const MODEL_CAPACITY = {
  writeUnitsPerOrderChange: 8.4,
  writeUnitsPerTokenWrite: 2,
  readUnitsPerRead: 1,
};

/** USD per call of the api function behind API Gateway, its (cached) authorizer left out. */
export function apiCallUsd(): number {
  return PRICES.httpApiPerRequest + PRICES.lambdaPerRequest + lambdaComputeUsd(MODEL_MS.api, MEMORY_GB.api);
}

/** USD per invocation of the workflow task function. */
export function taskInvocationUsd(): number {
  return PRICES.lambdaPerRequest + lambdaComputeUsd(MODEL_MS.task, MEMORY_GB.task);
}

export function lambdaComputeUsd(milliseconds: number, memoryGb: number): number {
  return (milliseconds / 1000) * memoryGb * PRICES.lambdaPerGbSecond;
}
