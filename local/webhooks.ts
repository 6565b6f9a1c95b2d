import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventsHandler } from '../functions/events/handler.js';
import { createDocumentClient, type DynamoConfig } from '../shared/store/dynamodb/client.js';
import { DynamoWebhookStore } from '../shared/store/dynamodb/webhook-store.js';
import { DeliveryWorker } from '../shared/webhooks/delivery-worker.js';
import { WebhookFanOut } from '../shared/webhooks/fan-out.js';
import { defaultRetryScheduleMs, parseRetrySchedule } from '../shared/webhooks/retry-schedule.js';
import { AesGcmSecretBox } from '../shared/webhooks/secret-box.js';
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
 * The local runtime of webhooks: the table's stream polled into the events function's
 * handler, and a table-backed delivery queue worked by the same delivery worker as on AWS.
 * The API wires `secretBox` and `queue` too (subscribe, redeliver).
 */
export async function startLocalWebhooks(options: LocalWebhookOptions) {
  const { tableName, endpoint, region, allowLocal, log } = options;
  const schedule = options.retrySchedule ? parseRetrySchedule(options.retrySchedule) : defaultRetryScheduleMs;
  const documents = createDocumentClient({ tableName, endpoint, region });
  const store = new DynamoWebhookStore(documents, tableName);
  const secretBox = new AesGcmSecretBox(secretsKey(options.dataDir));
  const queue = new LocalDeliveryQueue(documents, tableName, { perEndpoint: 4, log });
  const worker = new DeliveryWorker(store, secretBox, queue, {
    allowLocal,
    schedule,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  await queue.start((message) => worker.process(message));
  const poller = await startStreamPoller({
    endpoint,
    region,
    tableName,
    documents,
    handler: createEventsHandler(new WebhookFanOut(store, queue)),
    log,
  });
  return {
    secretBox,
    queue,
    async stop() {
      await poller.stop();
      await queue.stop();
      documents.destroy();
    },
  };
}
