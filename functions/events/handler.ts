import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { WorkflowEngine } from '../../shared/orders/workflow-engine.js';
import { decodeStreamRecord } from '../../shared/table-records.js';
import type { SubscriptionsOfBatch, WebhookFanOut } from '../../shared/webhooks/fan-out.js';

export const logger = new Logger({ serviceName: 'orderflow-events' });

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
export function createEventsHandler(fanOut: WebhookFanOut, signals: Pick<WorkflowEngine, 'signal'>) {
  async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const subscriptions: SubscriptionsOfBatch = new Map();
    for (const record of event.Records) {
      const decoded = decodeStreamRecord(record);
      if (!decoded) continue;
      try {
        if (decoded.kind === 'event') await fanOut.publish(decoded.event, subscriptions);
        else await signals.signal(decoded.signal.token, decoded.signal.output);
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

  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(handle);
}
