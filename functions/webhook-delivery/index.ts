import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { KmsSecretBox } from '../../shared/adapters/aws/kms-secret-box.js';
import { SqsDeliveryQueue } from '../../shared/adapters/aws/sqs-delivery-queue.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoWebhookStore } from '../../shared/adapters/dynamodb/webhook-store.js';
import { DeliveryWorker } from '../../shared/webhooks/delivery-worker.js';
import { parseRetrySchedule } from '../../shared/webhooks/retry-schedule.js';
import { newMetrics, recordWebhookAttempt } from '../metrics.js';
import { env } from '../runtime.js';
import { createDeliveryHandler } from './handler.js';

/** The delivery function's Lambda entry point: an SQS event source with ReportBatchItemFailures. */
const tableName = env('TABLE_NAME');
const schedule = process.env.WEBHOOK_RETRY_SCHEDULE;
const metrics = newMetrics('orderflow-webhook-delivery');
export const handler = createDeliveryHandler(
  new DeliveryWorker(
    new DynamoWebhookStore(createDocumentClient({ tableName }), tableName),
    new KmsSecretBox(new KMSClient({}), env('WEBHOOK_SECRETS_KEY_ID')),
    new SqsDeliveryQueue(new SQSClient({}), env('DELIVERY_QUEUE_URL'), env('DELIVERY_DLQ_URL')),
    {
      allowLocal: false,
      ...(schedule ? { schedule: parseRetrySchedule(schedule) } : {}),
      onAttempt: (attempt) => recordWebhookAttempt(metrics, attempt),
    },
  ),
  metrics,
);
