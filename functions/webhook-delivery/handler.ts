import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DeliveryMessage } from '../../shared/webhooks/delivery-queue.js';
import type { DeliveryWorker } from '../../shared/webhooks/delivery-worker.js';

export const logger = new Logger({ serviceName: 'orderflow-webhook-delivery' });

/**
 * The delivery function: an SQS batch in, one attempt per message, all at once so that a slow
 * endpoint costs the others nothing but its own 10 s. A message that could not be handled
 * (unreadable, or the table unreachable) is reported as a batch item failure: SQS makes it
 * visible again and, after maxReceiveCount, moves it to the dead-letter queue.
 */
export function createDeliveryHandler(
  worker: DeliveryWorker,
  /** Flushed after each batch (the worker records its attempts into it); none locally. */
  metrics?: Metrics,
) {
  async function processRecord(record: SQSRecord): Promise<SQSBatchItemFailure | undefined> {
    try {
      const message = DeliveryMessage.parse(JSON.parse(record.body));
      await worker.process(message);
      return undefined;
    } catch (error) {
      logger.error('Delivery message not handled; SQS will offer it again', {
        error: error as Error,
        messageId: record.messageId,
      });
      return { itemIdentifier: record.messageId };
    }
  }

  async function handle(event: SQSEvent): Promise<SQSBatchResponse> {
    const results = await Promise.all(event.Records.map(processRecord));
    return { batchItemFailures: results.filter((failure) => failure !== undefined) };
  }

  const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().use(injectLambdaContext(logger));
  return (metrics ? handler.use(logMetrics(metrics)) : handler).handler(handle);
}
