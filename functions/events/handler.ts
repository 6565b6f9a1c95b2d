import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import type { CommittedEvent, SubscriptionsOfBatch, WebhookFanOut } from '../../shared/webhooks/fan-out.js';

export const logger = new Logger({ serviceName: 'orderflow-events' });

const HistoryEventItem = z.object({
  entity: z.literal('event'),
  id: z.string(),
  type: z.string(),
  tenantId: z.string(),
  orderId: z.string(),
  sequence: z.number().int().min(1),
  timestamp: z.string(),
});

/** The history event a stream record inserted, or undefined for every other change to the table. */
export function committedEventOf(record: DynamoDBRecord): CommittedEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const parsed = HistoryEventItem.safeParse(unmarshall(image as Record<string, AttributeValue>));
  if (!parsed.success) return undefined;
  const { entity: _entity, ...event } = parsed.data;
  return event;
}

/**
 * The events function: the table's stream (NEW_AND_OLD_IMAGES) in, webhook deliveries out.
 * Records are handled in stream order, each tenant's subscriptions read once per batch; on a
 * failure it reports that record, so the stream
 * retries from there (ReportBatchItemFailures) and nothing after it is skipped. Fan-out is
 * idempotent, so the retried records that had succeeded create nothing twice.
 */
export function createEventsHandler(fanOut: WebhookFanOut) {
  async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const subscriptions: SubscriptionsOfBatch = new Map();
    for (const record of event.Records) {
      const committed = committedEventOf(record);
      if (!committed) continue;
      try {
        await fanOut.publish(committed, subscriptions);
      } catch (error) {
        logger.error('Fan-out failed; the stream will retry from this record', {
          error: error as Error,
          eventId: committed.id,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  }

  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(handle);
}
