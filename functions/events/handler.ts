import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { unpack } from '../../shared/adapters/dynamodb/packing.js';
import type { WorkflowEngine } from '../../shared/orders/workflow-engine.js';
import { decodeStreamRecord } from '../../shared/table-records.js';
import type { SubscriptionsOfBatch, WebhookFanOut } from '../../shared/webhooks/fan-out.js';
import { recordOrderEvent } from '../metrics.js';

export const logger = new Logger({ serviceName: 'orderflow-events' });

/** A history event's data as its stream record carries it (packed, or plain in older items). */
function eventDataOf(record: DynamoDBRecord): Record<string, unknown> {
  const data = record.dynamodb?.NewImage?.data;
  if (!data) return {};
  return (
    unpack<Record<string, unknown>>(
      unmarshall({ data } as unknown as Parameters<typeof unmarshall>[0]).data,
    ) ?? {}
  );
}

/**
 * The events function: the table's stream (NEW_AND_OLD_IMAGES) in, webhook deliveries and
 * owed signals out. A signal is sent right after its change commits; sending it again from
 * the stream makes delivery at-least-once (an outdated token is ignored), even when that
 * first attempt failed or its process died.
 *
 * Records are handled in stream order, each tenant's subscriptions read once per batch. On a
 * failure it reports that record, so the stream retries from there (ReportBatchItemFailures)
 * and nothing after it is skipped. Fan-out is idempotent and a repeated signal is ignored, so
 * the retried records that had succeeded change nothing twice.
 */
export function createEventsHandler(
  fanOut: WebhookFanOut,
  signals: Pick<WorkflowEngine, 'signal'>,
  /** Where business metrics go (CloudWatch EMF on AWS); the local runtime keeps none. */
  metrics?: Metrics,
) {
  async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const subscriptions: SubscriptionsOfBatch = new Map();
    for (const record of event.Records) {
      const decoded = decodeStreamRecord(record);
      if (!decoded) continue;
      try {
        if (decoded.kind === 'event') {
          await fanOut.publish(decoded.event, subscriptions);
          // Every history event passes here once (again only when the stream retries its batch).
          if (metrics) recordOrderEvent(metrics, decoded.event.type, () => eventDataOf(record));
        } else await signals.signal(decoded.signal.token, decoded.signal.output);
      } catch (error) {
        logger.error('Handling a stream record failed; the stream will retry from it', {
          error: error as Error,
          ...(decoded.kind === 'event'
            ? { eventId: decoded.event.id }
            : { signal: 'owed to an order execution' }),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  }

  const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>().use(
    injectLambdaContext(logger),
  );
  return (metrics ? handler.use(logMetrics(metrics)) : handler).handler(handle);
}
