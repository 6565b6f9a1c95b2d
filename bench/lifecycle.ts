/**
 * The whole lifecycle on the local stack: N orders driven through the default workflow
 * (create → submitted → confirmed, whose actions reserve stock and raise purchase orders →
 * completed → shipped, its `order.shipped` webhook received and verified by a local
 * receiver) by C concurrent clients. Reports throughput, latency per endpoint, DynamoDB
 * capacity, state transitions, Lambda invocations and cost per order, and the ceiling:
 * DynamoDB Local's own single-item write rate at the same concurrency (the higher of a
 * measurement before and one after the run) divided by the writes one lifecycle makes.
 * A benchmark, not a test.
 *
 *   npm run bench -- [--orders 500] [--concurrency 16] [--task-token-length 700] [--json]
 *   npm run bench -- [--orders 500] --rate N [--json]            (open loop)
 *   npm run bench -- --find-rate [--seconds 15] [--json]           (highest sustained rate)
 */
import '../local/polyfills.js';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Webhook } from 'standardwebhooks';
import { sampleOrder } from '../local/sample-order.js';
import { startStack, TABLE_NAME } from '../local/stack.js';
import { newLocalInvocations } from '../local/webhooks.js';
import {
  type CapacityCollector,
  newCapacityCollector,
  type RecordedRequest,
} from '../shared/adapters/dynamodb/client.js';
import { MEMORY_GB, MODEL_MS, PRICES } from '../shared/pricing.js';
import { replay, requestsPerOrder } from './replay.js';

/** Bad input gets one line, not a stack trace. */
function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    options: {
      orders: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '16' },
      json: { type: 'boolean', default: false },
      // Step Functions' task tokens run to 600–700 characters; the item that holds one is billed by its size.
      'task-token-length': { type: 'string', default: '700' },
      /** Open loop: lifecycles started N per second on a fixed schedule, whether or not earlier ones finished. */
      rate: { type: 'string' },
      /** Open loop: the highest rate sustained, then latency at 25, 50 and 75 % of it. */
      'find-rate': { type: 'boolean', default: false },
      /** How long each step of --find-rate offers its rate. */
      seconds: { type: 'string', default: '15' },
    },
  });
}
try {
  parsed = parseOptions();
} catch (error) {
  usage((error as Error).message);
}
const { values } = parsed;
const positive = (name: string, text: string | undefined, integer = true): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    usage(`--${name} must be a positive ${integer ? 'integer' : 'number'}, not "${text}"`);
  }
  return value;
};
const orders = positive('orders', values.orders);
const concurrency = positive('concurrency', values.concurrency);
const rate = values.rate === undefined ? undefined : positive('rate', values.rate, false);
const stepSeconds = positive('seconds', values.seconds, false);
const taskTokenLength = Number(values['task-token-length']);
if (!Number.isInteger(taskTokenLength) || taskTokenLength < 0) {
  usage(`--task-token-length must be a whole number of characters, not "${values['task-token-length']}"`);
}
if (rate !== undefined && values['find-rate']) usage('--rate and --find-rate exclude each other');

const AUTHORIZER_CACHE_SECONDS = 60;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const err = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------- receiver
const shippedReceived = new Map<string, number>();
let unverifiedDeliveries = 0;
let receiverSecret = '';
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    try {
      new Webhook(receiverSecret).verify(raw, request.headers as Record<string, string>);
    } catch {
      unverifiedDeliveries++;
    }
    const event = JSON.parse(raw) as { type: string; data: { order: { id: string } } };
    if (event.type === 'order.shipped') {
      shippedReceived.set(event.data.order.id, (shippedReceived.get(event.data.order.id) ?? 0) + 1);
    }
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

// ---------------------------------------------------------------- stack
const capacity = newCapacityCollector();
const localOnlyCapacity = newCapacityCollector();
const invocations = newLocalInvocations();
const stack = await startStack({
  inMemory: true,
  port: 0,
  allowLocalWebhooks: true,
  capacity,
  localOnlyCapacity,
  invocations,
  taskTokenLength,
});

interface Timed {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes
  body: any;
}
const latencies = new Map<string, number[]>();
let apiCalls = 0;
let authorizerCallsUncached = 0;
/** Authorization header → start of its current authorizer cache window. */
const authorizerWindows = new Map<string, number>();
let authorizerCallsCached = 0;
let recording = false;

async function call(
  endpoint: string,
  path: string,
  key: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${stack.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  const elapsed = performance.now() - started;
  if (recording) {
    apiCalls++;
    authorizerCallsUncached++;
    const windowStart = authorizerWindows.get(key);
    if (windowStart === undefined || started - windowStart >= AUTHORIZER_CACHE_SECONDS * 1000) {
      authorizerWindows.set(key, started);
      authorizerCallsCached++;
    }
    const list = latencies.get(endpoint) ?? [];
    list.push(elapsed);
    latencies.set(endpoint, list);
  }
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const expect = (what: string, result: Timed, status: number) => {
  if (result.status !== status) {
    throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
  }
  return result.body;
};

/** Each Idempotency-Key sent → the order it was sent for: the replay groups requests by order. */
const idempotencyKeys = new Map<string, string>();

async function lifecycle(key: string): Promise<string> {
  const creationKey = randomUUID();
  const created = expect(
    'create',
    await call('POST /v1/orders', '/v1/orders', key, {
      method: 'POST',
      body: sampleOrder,
      headers: { 'idempotency-key': creationKey },
    }),
    201,
  );
  const id = created.id as string;
  idempotencyKeys.set(creationKey, id);
  const move = async (body: Record<string, unknown>) => {
    const moveKey = randomUUID();
    idempotencyKeys.set(moveKey, id);
    return expect(
      `${id} → ${body.to}`,
      await call('POST /v1/orders/{id}/transitions', `/v1/orders/${id}/transitions`, key, {
        method: 'POST',
        body,
        headers: { 'idempotency-key': moveKey },
      }),
      200,
    );
  };
  await move({ to: 'submitted' });
  await move({ to: 'confirmed', note: 'Priced and approved' });
  // The confirmed stage's actions (reserve stock, raise purchase orders) run after the answer.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const order = expect('read', await call('GET /v1/orders/{id}', `/v1/orders/${id}`, key), 200);
    if (order.actions?.state === 'succeeded') break;
    if (order.actions?.state === 'failed') throw new Error(`${id}: actions failed`);
    if (Date.now() > deadline) throw new Error(`${id}: actions did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await move({ to: 'completed' });
  await move({ to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: `1Z${id.slice(-10)}` } });
  return id;
}

function progress(done: number, failed: number, total: number, started: number): void {
  if (!process.stderr.isTTY && done + failed !== total && (done + failed) % Math.ceil(total / 20) !== 0)
    return;
  const width = 30;
  const filled = Math.round(((done + failed) / total) * width);
  const rate = done / ((performance.now() - started) / 1000);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done + failed}/${total} ${rate.toFixed(1)}/s${failed ? ` failed ${failed}` : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else err(line);
}

/** Latency per route of what was recorded, in ms. */
function latencySummary(): Record<string, { n: number; p50: number; p95: number; p99: number }> {
  return Object.fromEntries(
    [...latencies.entries()].map(([endpoint, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return [
        endpoint,
        {
          n: sorted.length,
          p50: round(percentile(sorted, 50), 1),
          p95: round(percentile(sorted, 95), 1),
          p99: round(percentile(sorted, 99), 1),
        },
      ];
    }),
  );
}

type Drive = (
  count: number,
  openRate?: number,
) => Promise<{ ids: string[]; failures: string[]; seconds: number }>;

/**
 * The highest open-loop rate the stack sustains — no failed lifecycle, and the run ends within
 * 20 % (plus 5 s) of its schedule, so no backlog builds up — found by doubling from 1/s and
 * three bisections; then latency per route at 25, 50 and 75 % of it.
 */
async function findRate(drive: Drive, settle: (ids: string[]) => Promise<void>): Promise<void> {
  const steps: { rate: number; lifecycles: number; failed: number; seconds: number; sustained: boolean }[] =
    [];
  const offer = async (offered: number) => {
    latencies.clear();
    const count = Math.max(1, Math.round(offered * stepSeconds));
    err(`${count} lifecycles at ${round(offered)}/s`);
    recording = true;
    const run = await drive(count, offered);
    recording = false;
    await settle(run.ids);
    const sustained = run.failures.length === 0 && run.seconds <= stepSeconds * 1.2 + 5;
    steps.push({
      rate: round(offered),
      lifecycles: count,
      failed: run.failures.length,
      seconds: round(run.seconds),
      sustained,
    });
    return { sustained, latencyMs: latencySummary() };
  };
  let sustainedRate = 0;
  let refusedRate: number | undefined;
  for (let offered = 1; offered <= 1024; offered *= 2) {
    if ((await offer(offered)).sustained) sustainedRate = offered;
    else {
      refusedRate = offered;
      break;
    }
  }
  if (refusedRate !== undefined && sustainedRate > 0) {
    let high = refusedRate;
    for (let bisection = 0; bisection < 3; bisection++) {
      const middle: number = (sustainedRate + high) / 2;
      if ((await offer(middle)).sustained) sustainedRate = middle;
      else high = middle;
    }
  }
  const atFractions: Record<
    string,
    { rate: number; sustained: boolean; latencyMs: ReturnType<typeof latencySummary> }
  > = {};
  if (sustainedRate > 0) {
    for (const fraction of [0.25, 0.5, 0.75]) {
      const offered = sustainedRate * fraction;
      atFractions[`${fraction * 100}%`] = { rate: round(offered), ...(await offer(offered)) };
    }
  }
  const result = {
    mode: 'find-rate',
    stepSeconds,
    node: process.version,
    sustainedRate: round(sustainedRate),
    steps,
    atFractions,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`highest sustained rate  ${result.sustainedRate} lifecycles/s (steps of ${stepSeconds} s)`);
    for (const step of steps) {
      console.log(
        `  ${String(step.rate).padStart(7)}/s  ${step.lifecycles} lifecycles in ${step.seconds} s, ${step.failed} failed${step.sustained ? '' : '  (not sustained)'}`,
      );
    }
    for (const [fraction, at] of Object.entries(atFractions)) {
      console.log(`at ${fraction} (${at.rate}/s)`);
      for (const [endpoint, l] of Object.entries(at.latencyMs)) {
        console.log(`  ${endpoint.padEnd(32)} n=${l.n} p50=${l.p50} p95=${l.p95} p99=${l.p99} ms`);
      }
    }
  }
}

const snapshot = (c: CapacityCollector) => ({ ...c, calls: { ...c.calls }, units: { ...c.units } });
const writeRequests = (c: CapacityCollector) =>
  Object.entries(c.calls)
    .filter(([name]) => /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(name))
    .reduce((sum, [, count]) => sum + count, 0);

/**
 * DynamoDB Local's own single-item write rate at the bench's concurrency: a PutItem loop for 5 s.
 * Measured before and after the run; the higher one is the ceiling (whatever else runs in
 * the process, such as the stream poller catching up, can only lower it).
 */
async function measureCeiling(): Promise<number> {
  const raw = new DynamoDBClient({
    endpoint: stack.dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let puts = 0;
  const started = performance.now();
  const end = started + 5_000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        await raw.send(
          new PutItemCommand({
            TableName: TABLE_NAME,
            Item: {
              pk: { S: `BENCH#ceiling#${worker}` },
              sk: { S: String(puts) },
              entity: { S: 'benchCeiling' },
              payload: { S: 'x'.repeat(200) },
            },
          }),
        );
        puts++;
      }
    }),
  );
  raw.destroy();
  return puts / ((performance.now() - started) / 1000);
}

// What the lifecycles need (tenant, key, stock, subscription), recorded for the replay.
const setupRequests: RecordedRequest[] = [];
capacity.requests = setupRequests;
try {
  const tenant = expect(
    'tenant',
    await call('admin', '/v1/admin/tenants', stack.adminKey, { method: 'POST', body: { name: 'Bench' } }),
    201,
  );
  const key = tenant.apiKey as string;
  // Enough stock that every order is reserved in full; paperco's item still raises no PO then.
  for (const [sku, onHand] of [
    ['CARD-100', 600 * (orders + 50)],
    ['FLYER-A5', 100 * (orders + 50)],
  ] as const) {
    expect(
      sku,
      await call('inventory', `/v1/inventory/${sku}`, key, {
        method: 'PUT',
        body: { onHand, supplier: 'paperco' },
      }),
      200,
    );
  }
  const webhook = expect(
    'webhook',
    await call('webhook', '/v1/webhooks', key, {
      method: 'POST',
      body: { url: receiverUrl, events: ['order.shipped'] },
      headers: { 'idempotency-key': randomUUID() },
    }),
    201,
  );
  receiverSecret = webhook.secret;
  capacity.requests = undefined;

  // Warm up handlers, JIT and DynamoDB Local; not measured.
  const warmup = Math.min(20, orders);
  const warmed = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, warmup) }, () => lifecycle(key)),
  );
  for (const outcome of warmed) if (outcome.status === 'rejected') err(`warm-up: ${outcome.reason}`);
  const warmedOk = warmed.filter((outcome) => outcome.status === 'fulfilled').length;
  const warmDeadline = Date.now() + 30_000;
  while (shippedReceived.size < warmedOk && Date.now() < warmDeadline)
    await new Promise((r) => setTimeout(r, 20));
  shippedReceived.clear();
  await new Promise((resolve) => setTimeout(resolve, 300));

  const ceilingBefore = await measureCeiling();

  /**
   * Drives `count` lifecycles: closed loop, `concurrency` clients back to back; open loop, one
   * started every 1/rate s on a fixed schedule, however many are still under way.
   */
  async function drive(count: number, openRate?: number) {
    const ids: string[] = [];
    const failures: string[] = [];
    const started = performance.now();
    const one = async () => {
      try {
        ids.push(await lifecycle(key));
      } catch (error) {
        failures.push((error as Error).message);
      }
      progress(ids.length, failures.length, count, started);
    };
    if (openRate === undefined) {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            next++;
            await one();
          }
        }),
      );
    } else {
      const underWay: Promise<void>[] = [];
      for (let index = 0; index < count; index++) {
        const wait = started + (index * 1000) / openRate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        underWay.push(one());
      }
      await Promise.all(underWay);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    return { ids, failures, started, seconds: (performance.now() - started) / 1000 };
  }

  /** Until every shipped order's webhook arrived and every execution ended (30 s at most). */
  async function settle(ids: string[]): Promise<void> {
    const settleDeadline = Date.now() + 30_000;
    while (Date.now() < settleDeadline) {
      const delivered = ids.every((id) => shippedReceived.has(id));
      const ended = ids.every((id) => !stack.engine.isRunning(tenant.tenantId, id));
      if (delivered && ended) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  if (values['find-rate']) await findRate(drive, settle);
  else {
    // ---------------------------------------------------------------- measured run
    const capacityBefore = snapshot(capacity);
    const localBefore = snapshot(localOnlyCapacity);
    const invocationsBefore = { ...invocations };
    err(
      rate === undefined
        ? `${orders} lifecycles, ${concurrency} clients, Node ${process.version}`
        : `${orders} lifecycles at ${rate}/s (open loop), Node ${process.version}`,
    );
    const recorded: RecordedRequest[] = [];
    capacity.requests = recorded;
    localOnlyCapacity.requests = recorded;
    recording = true;
    const run = await drive(orders, rate);
    const { ids, failures, started } = run;
    const driveSeconds = run.seconds;
    recording = false;

    await settle(ids);
    const settledSeconds = (performance.now() - started) / 1000;
    // Let the stream poller and the delivery queue finish their bookkeeping before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    capacity.requests = undefined;
    localOnlyCapacity.requests = undefined;
    const measured = {
      readUnits: capacity.readUnits - capacityBefore.readUnits,
      writeUnits: capacity.writeUnits - capacityBefore.writeUnits,
      writeRequests: writeRequests(capacity) - writeRequests(capacityBefore),
      localWriteRequests: writeRequests(localOnlyCapacity) - writeRequests(localBefore),
      localReadUnits: localOnlyCapacity.readUnits - localBefore.readUnits,
      localWriteUnits: localOnlyCapacity.writeUnits - localBefore.writeUnits,
    };
    const inv = Object.fromEntries(
      Object.entries(invocations).map(([name, value]) => [
        name,
        value - invocationsBefore[name as keyof typeof invocations],
      ]),
    ) as unknown as typeof invocations;

    // ---------------------------------------------------------------- checks (not measured)
    const lost: string[] = [];
    for (const id of ids) {
      const received = shippedReceived.get(id) ?? 0;
      if (received === 0) lost.push(`${id}: order.shipped not received`);
      const events = (await call('events', `/v1/orders/${id}/events?limit=100`, key)).body.items as {
        sequence: number;
        type: string;
      }[];
      const sequences = events.map((event) => event.sequence);
      if (!sequences.every((sequence, i) => sequence === i + 1)) lost.push(`${id}: history gap or duplicate`);
      if (!events.some((event) => event.type === 'order.shipped')) lost.push(`${id}: no order.shipped event`);
    }
    const lostIds = new Set(lost.map((line) => line.split(':')[0]));
    const transitions = ids.map((id) => stack.engine.stateTransitions.get(id) ?? 0);

    // ---------------------------------------------------------------- ceilings
    const ceilingAfter = await measureCeiling();
    const putsPerSecond = Math.max(ceilingBefore, ceilingAfter);
    // The measured run's own requests, replayed raw at its concurrency after a warm-up replay.
    const groups = requestsPerOrder(recorded, idempotencyKeys);
    // As many requests at a time as the run had on average (Little's law): its clients' own,
    // and the tasks', engine's and pollers' beside them.
    const requestsInFlight =
      recorded.reduce((sum, request) => sum + (request.ms ?? 0), 0) / 1000 / driveSeconds;
    const replayConcurrency = Math.max(1, Math.round(requestsInFlight));
    await replay({
      endpoint: stack.dynamo.endpoint,
      tableName: `${TABLE_NAME}-replay-warm-up`,
      setup: setupRequests,
      lifecycles: groups.slice(0, Math.min(groups.length, 20)),
      concurrency: replayConcurrency,
    });
    const replayed = await replay({
      endpoint: stack.dynamo.endpoint,
      tableName: `${TABLE_NAME}-replay`,
      setup: setupRequests,
      lifecycles: groups,
      concurrency: replayConcurrency,
    });

    // ---------------------------------------------------------------- report
    const perOrder = (value: number) => value / ids.length;
    const writeRequestsPerOrder = perOrder(measured.writeRequests + measured.localWriteRequests);
    const ceilingLifecyclesPerSecond = putsPerSecond / writeRequestsPerOrder;
    const lifecyclesPerSecond = ids.length / driveSeconds;
    const meanApiMs =
      [...latencies.values()].flat().reduce((sum, value) => sum + value, 0) / Math.max(1, apiCalls);
    const lambda = {
      api: perOrder(apiCalls),
      authorizer: perOrder(authorizerCallsCached),
      authorizerWithoutCache: perOrder(authorizerCallsUncached),
      workflowTasks: perOrder(inv.tasks),
      events: perOrder(inv.eventBatchesInvoked),
      webhookDeliveries: perOrder(inv.deliveries),
    };
    const lambdaInvocationsPerOrder =
      lambda.api + lambda.authorizer + lambda.workflowTasks + lambda.events + lambda.webhookDeliveries;
    const gbSeconds =
      (lambda.api * MODEL_MS.api * MEMORY_GB.api +
        lambda.authorizer * MODEL_MS.authorizer * MEMORY_GB.authorizer +
        lambda.workflowTasks * MODEL_MS.task * MEMORY_GB.task +
        lambda.events * MODEL_MS.events * MEMORY_GB.events +
        lambda.webhookDeliveries * MODEL_MS.delivery * MEMORY_GB.delivery) /
      1000;
    const measuredLocalMs = {
      apiMean: round(meanApiMs, 1),
      taskMean: round(inv.taskMs / Math.max(1, inv.tasks), 1),
      eventBatchMean: round(inv.eventMs / Math.max(1, inv.eventBatches), 1),
      deliveryMean: round(inv.deliveryMs / Math.max(1, inv.deliveries), 1),
    };
    const stateTransitionsPerOrder =
      transitions.reduce((sum, t) => sum + t, 0) / Math.max(1, transitions.length);
    const usd = {
      apiGateway: lambda.api * PRICES.httpApiPerRequest,
      lambdaRequests: lambdaInvocationsPerOrder * PRICES.lambdaPerRequest,
      lambdaCompute: gbSeconds * PRICES.lambdaPerGbSecond,
      stepFunctions: stateTransitionsPerOrder * PRICES.stepFunctionsPerTransition,
      dynamoWrites: perOrder(measured.writeUnits) * PRICES.dynamoPerWriteUnit,
      dynamoReads: perOrder(measured.readUnits) * PRICES.dynamoPerReadUnit,
      // Each delivery: one SQS send, receive and delete, and one KMS Decrypt of the signing secret.
      sqs: lambda.webhookDeliveries * 3 * PRICES.sqsPerRequest,
      kms: lambda.webhookDeliveries * PRICES.kmsPerRequest,
    };
    const usdPerOrder = Object.values(usd).reduce((sum, value) => sum + value, 0);
    const latencyMs = latencySummary();
    const result = {
      orders,
      concurrency,
      node: process.version,
      lifecyclesPerSecond: round(lifecyclesPerSecond),
      ceilingLifecyclesPerSecond: round(ceilingLifecyclesPerSecond),
      fractionOfCeiling: round(lifecyclesPerSecond / ceilingLifecyclesPerSecond, 3),
      ...(rate === undefined ? {} : { openLoopRate: rate }),
      replayLifecyclesPerSecond: round(replayed.lifecyclesPerSecond),
      fractionOfReplayCeiling: round(lifecyclesPerSecond / replayed.lifecyclesPerSecond, 3),
      replay: {
        lifecycles: replayed.lifecycles,
        requests: replayed.requests,
        requestsPerLifecycle: round(replayed.requests / Math.max(1, replayed.lifecycles)),
        concurrency: replayConcurrency,
        seconds: round(replayed.seconds),
        refused: replayed.errors,
      },
      ceilingPutItemsPerSecond: round(putsPerSecond, 0),
      ceilingPutItemsPerSecondBeforeAndAfter: [round(ceilingBefore, 0), round(ceilingAfter, 0)],
      writeRequestsPerOrder: round(writeRequestsPerOrder),
      driveSeconds: round(driveSeconds),
      settledSeconds: round(settledSeconds),
      failedLifecycles: failures.length + lostIds.size,
      failures: [...failures, ...lost].slice(0, 20),
      unverifiedDeliveries,
      duplicateShippedDeliveries: [...shippedReceived.values()].filter((count) => count > 1).length,
      stateTransitionsPerOrder: round(stateTransitionsPerOrder),
      maxStateTransitions: Math.max(0, ...transitions),
      writeUnitsPerOrder: round(perOrder(measured.writeUnits)),
      readUnitsPerOrder: round(perOrder(measured.readUnits)),
      localOnlyPerOrder: {
        writeRequests: round(perOrder(measured.localWriteRequests)),
        writeUnits: round(perOrder(measured.localWriteUnits)),
        readUnits: round(perOrder(measured.localReadUnits)),
      },
      lambdaInvocationsPerOrder: round(lambdaInvocationsPerOrder),
      lambdaInvocations: Object.fromEntries(Object.entries(lambda).map(([k, v]) => [k, round(v)])),
      lambdaGbSecondsPerOrder: round(gbSeconds, 4),
      lambdaModelMs: MODEL_MS,
      measuredLocalMs,
      dynamoCalls: Object.fromEntries(
        Object.entries(capacity.calls).map(([name, count]) => [
          name,
          round(perOrder(count - (capacityBefore.calls[name] ?? 0))),
        ]),
      ),
      dynamoUnits: Object.fromEntries(
        Object.entries(capacity.units).map(([name, units]) => [
          name,
          round(perOrder(units - (capacityBefore.units[name] ?? 0))),
        ]),
      ),
      usdPer1000Orders: round(usdPerOrder * 1000, 4),
      usdPer1000OrdersBreakdown: Object.fromEntries(
        Object.entries(usd).map(([k, v]) => [k, round(v * 1000, 4)]),
      ),
      prices: PRICES,
      latencyMs,
    };

    if (!values.json) {
      console.log(
        `lifecycles/s            ${result.lifecyclesPerSecond} (ceiling ${result.ceilingLifecyclesPerSecond}: ${round(result.fractionOfCeiling * 100, 1)} %)`,
      );
      console.log(
        `replay ceiling          ${result.replayLifecyclesPerSecond} lifecycles/s (${round(result.fractionOfReplayCeiling * 100, 1)} % of it reached): ${result.replay.requestsPerLifecycle} requests per lifecycle, ${JSON.stringify(result.replay.refused)} refused`,
      );
      console.log(
        `ceiling                 ${result.ceilingPutItemsPerSecond} PutItem/s ÷ ${result.writeRequestsPerOrder} writes per lifecycle`,
      );
      console.log(`failed lifecycles       ${result.failedLifecycles}`);
      console.log(
        `state transitions       ${result.stateTransitionsPerOrder} per order (max ${result.maxStateTransitions})`,
      );
      console.log(
        `DynamoDB                ${result.writeUnitsPerOrder} WCU + ${result.readUnitsPerOrder} RCU per order`,
      );
      console.log(
        `Lambda invocations      ${result.lambdaInvocationsPerOrder} per order ${JSON.stringify(result.lambdaInvocations)}`,
      );
      console.log(
        `USD per 1,000 orders    ${result.usdPer1000Orders} ${JSON.stringify(result.usdPer1000OrdersBreakdown)}`,
      );
      for (const [endpoint, l] of Object.entries(latencyMs)) {
        console.log(`${endpoint.padEnd(32)} n=${l.n} p50=${l.p50} p95=${l.p95} p99=${l.p99} ms`);
      }
    } else {
      console.log(JSON.stringify(result));
    }
  }
} finally {
  await stack.stop();
  receiver.closeAllConnections();
  receiver.close();
}
process.exit(0);
