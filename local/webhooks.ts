import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventsHandler } from '../functions/events/handler.js';
import {
  type CapacityCollector,
  createDocumentClient,
  type DynamoConfig,
} from '../shared/adapters/dynamodb/client.js';
import { DynamoWebhookStore } from '../shared/adapters/dynamodb/webhook-store.js';
import { AesGcmSecretBox } from '../shared/adapters/node/aes-gcm-secret-box.js';
import type { WorkflowEngine } from '../shared/orders/workflow-engine.js';
import { passesStreamFilter } from '../shared/table.js';
import { DeliveryWorker } from '../shared/webhooks/delivery-worker.js';
import { WebhookFanOut } from '../shared/webhooks/fan-out.js';
import { defaultRetryScheduleMs, parseRetrySchedule } from '../shared/webhooks/retry-schedule.js';
import { LocalDeliveryQueue } from './delivery-queue.js';
import { startStreamPoller } from './stream-poller.js';

export interface LocalWebhookOptions
  extends Required<Pick<DynamoConfig, 'tableName' | 'endpoint' | 'region'>> {
  /** Where the key that encrypts signing secrets is kept; none: a random key for this run. */
  dataDir?: string;
  allowLocal: boolean;
  /** Comma-separated ISO-8601 durations replacing the default retry schedule. */
  retrySchedule?: string;
  /** Per attempt; events.md's 10 s unless a test needs it shorter. */
  timeoutMs?: number;
  log: (line: string) => void;
  /** Measurement only: sums the capacity of every call this runtime makes. */
  capacity?: CapacityCollector;
  /** Measurement only: counts what would be Lambda invocations on AWS. */
  invocations?: LocalInvocations;
  /**
   * Measurement only: the calls of the local stand-ins for what is not DynamoDB on AWS (the
   * delivery queue, SQS there; stream checkpoints, kept by Lambda's event source mapping there).
   */
  localOnlyCapacity?: CapacityCollector;
  /** Where the events function sends the signals orders owe their executions: the local engine. */
  signals: Pick<WorkflowEngine, 'signal'>;
}

/** What would be Lambda invocations on AWS, counted by the local runtime (benchmarks read it). */
export interface LocalInvocations {
  /** Workflow Task states run (the workflow-task function). */
  tasks: number;
  /** Stream batches handed to the events function. */
  eventBatches: number;
  /**
   * Those with a record the event source filter passes on AWS (a history event, or an order
   * carrying a stored signal): the ones that invoke the function there.
   */
  eventBatchesInvoked: number;
  /** Delivery attempts (the webhook-delivery function, one message per invocation). */
  deliveries: number;
  /** Milliseconds spent in each, summed (for a GB-second estimate). */
  taskMs: number;
  eventMs: number;
  deliveryMs: number;
}

export function newLocalInvocations(): LocalInvocations {
  return {
    tasks: 0,
    eventBatches: 0,
    eventBatchesInvoked: 0,
    deliveries: 0,
    taskMs: 0,
    eventMs: 0,
    deliveryMs: 0,
  };
}

/** 32 random bytes kept in the data folder: signing secrets must still open after a restart. */
function secretsKey(dataDir: string | undefined): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'webhook-secrets.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

/**
 * The local runtime of the stream and webhooks: the table's stream polled into the events
 * function's handler (webhook fan-out, owed signals), and a table-backed delivery queue
 * worked by the same delivery worker as on AWS.
 * The API wires `secretBox` and `queue` too (subscribe, redeliver).
 */
export async function startLocalWebhooks(options: LocalWebhookOptions) {
  const { tableName, endpoint, region, allowLocal, log } = options;
  const schedule = options.retrySchedule ? parseRetrySchedule(options.retrySchedule) : defaultRetryScheduleMs;
  const { capacity, invocations } = options;
  const documents = createDocumentClient({ tableName, endpoint, region, ...(capacity ? { capacity } : {}) });
  const store = new DynamoWebhookStore(documents, tableName);
  const secretBox = new AesGcmSecretBox(secretsKey(options.dataDir));
  const localDocuments = options.localOnlyCapacity
    ? createDocumentClient({ tableName, endpoint, region, capacity: options.localOnlyCapacity })
    : documents;
  const queue = new LocalDeliveryQueue(localDocuments, tableName, { perEndpoint: 4, log });
  const worker = new DeliveryWorker(store, secretBox, queue, {
    allowLocal,
    schedule,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  await queue.start(async (message) => {
    if (!invocations) return worker.process(message);
    const started = performance.now();
    invocations.deliveries++;
    try {
      return await worker.process(message);
    } finally {
      invocations.deliveryMs += performance.now() - started;
    }
  });
  const events = createEventsHandler(new WebhookFanOut(store, queue), options.signals);
  const poller = await startStreamPoller({
    endpoint,
    region,
    tableName,
    documents: localDocuments,
    handler: !invocations
      ? events
      : async (event, context) => {
          const started = performance.now();
          invocations.eventBatches++;
          if (event.Records.some(passesStreamFilter)) invocations.eventBatchesInvoked++;
          try {
            return await events(event, context);
          } finally {
            invocations.eventMs += performance.now() - started;
          }
        },
    log,
  });
  return {
    secretBox,
    queue,
    async stop() {
      await poller.stop();
      await queue.stop();
      documents.destroy();
      if (localDocuments !== documents) localDocuments.destroy();
    },
  };
}
