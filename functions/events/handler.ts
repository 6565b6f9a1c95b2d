import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { recordOf } from '../../shared/adapters/dynamodb/order-store.js';
import type { PendingSignal } from '../../shared/orders/order-store.js';
import { executionState } from '../../shared/orders/transitions.js';
import type { WorkflowEngine } from '../../shared/orders/workflow-engine.js';
import type { CommittedEvent, SubscriptionsOfBatch, WebhookFanOut } from '../../shared/webhooks/fan-out.js';
import { PENDING_SIGNAL_ATTRIBUTE } from '../../shared/workflow/task-payloads.js';

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

type Image = Record<string, AttributeValue>;

/** An order item that carries a signal owed to its execution (what the event source filter passes). */
function storedSignalOf(image: Image | undefined): Image | undefined {
  if (image?.entity?.S !== 'order') return undefined;
  return image[PENDING_SIGNAL_ATTRIBUTE]?.M;
}

/**
 * The signal a change stored on an order, when this record is that change; later writes of
 * the same order that still carry it are not.
 */
export function signalStoredBy(record: DynamoDBRecord): PendingSignal | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  const image = record.dynamodb?.NewImage as Image | undefined;
  const token = storedSignalOf(image)?.token?.S;
  if (!image || !token) return undefined;
  if (storedSignalOf(record.dynamodb?.OldImage as Image | undefined)?.token?.S === token) return undefined;
  // Numbers as the document client reads them: JS numbers, even beyond 2^53.
  const item = unmarshall(image, { wrapNumbers: (value: string) => Number(value) });
  // The record is the change that stored the signal, so its order is the state the signal carries.
  const { order, entry } = recordOf(item);
  return { token, output: executionState(item.tenantId as string, order, entry) };
}

/** True for the records the events function is invoked for on AWS (its event source filter). */
export function passesEventSourceFilter(record: DynamoDBRecord): boolean {
  return (
    committedEventOf(record) !== undefined ||
    (record.eventName !== 'REMOVE' &&
      storedSignalOf(record.dynamodb?.NewImage as Image | undefined) !== undefined)
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
export function createEventsHandler(fanOut: WebhookFanOut, signals: Pick<WorkflowEngine, 'signal'>) {
  async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const subscriptions: SubscriptionsOfBatch = new Map();
    for (const record of event.Records) {
      const committed = committedEventOf(record);
      const signal = committed ? undefined : signalStoredBy(record);
      if (!committed && !signal) continue;
      try {
        if (committed) await fanOut.publish(committed, subscriptions);
        else if (signal) await signals.signal(signal.token, signal.output);
      } catch (error) {
        logger.error('Handling a stream record failed; the stream will retry from it', {
          error: error as Error,
          ...(committed ? { eventId: committed.id } : { signal: 'owed to an order execution' }),
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
