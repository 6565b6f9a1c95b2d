import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsDeliveryQueue } from '../../shared/adapters/aws/sqs-delivery-queue.js';
import { sendSignal } from '../../shared/adapters/aws/step-functions-engine.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoWebhookStore } from '../../shared/adapters/dynamodb/webhook-store.js';
import { WebhookFanOut } from '../../shared/webhooks/fan-out.js';
import { newMetrics } from '../metrics.js';
import { env } from '../runtime.js';
import { createEventsHandler } from './handler.js';

/** The events function's Lambda entry point: a DynamoDB stream event source on the table. */
const tableName = env('TABLE_NAME');
const stepFunctions = new SFNClient({});
export const handler = createEventsHandler(
  new WebhookFanOut(
    new DynamoWebhookStore(createDocumentClient({ tableName }), tableName),
    new SqsDeliveryQueue(new SQSClient({}), env('DELIVERY_QUEUE_URL'), env('DELIVERY_DLQ_URL')),
  ),
  { signal: (token, output) => sendSignal(stepFunctions, token, output) },
  newMetrics('orderflow-events'),
);
