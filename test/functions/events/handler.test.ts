import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, Context, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createEventsHandler } from '../../../functions/events/handler.js';
import { sampleOrder } from '../../../local/sample-order.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { executionState } from '../../../shared/orders/transitions.js';
import type {
  CommittedEvent,
  SubscriptionsOfBatch,
  WebhookFanOut,
} from '../../../shared/webhooks/fan-out.js';

const context = { functionName: 'orderflow-events', awsRequestId: 'req-1' } as Context;
const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orderflow/stream/2026-11-26T10:00:00.000';

/** A history event item as DynamoDB writes it into the stream (NEW_AND_OLD_IMAGES). */
function eventInsert(sequence: number, type = 'order.updated') {
  const keys = { pk: { S: 'T#ten_1#O#ord_1' }, sk: { S: `EVT#${String(sequence).padStart(10, '0')}` } };
  return {
    eventID: `id-${sequence}`,
    eventName: 'INSERT' as const,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    eventSourceARN: arn,
    dynamodb: {
      ApproximateCreationDateTime: 1795687200,
      Keys: keys,
      NewImage: {
        ...keys,
        entity: { S: 'event' },
        tenantId: { S: 'ten_1' },
        id: { S: `evt_0${sequence}` },
        type: { S: type },
        sequence: { N: String(sequence) },
        orderId: { S: 'ord_1' },
        timestamp: { S: '2026-11-26T10:00:00.000Z' },
        actor: { M: { type: { S: 'system' } } },
        data: {
          M: { sequence: { N: String(sequence) }, order: { M: { id: { S: 'ord_1' }, metadata: { M: {} } } } },
        },
      },
      SequenceNumber: `10000000000000000000${sequence}`,
      SizeBytes: 412,
      StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
    },
  };
}

const orderModify = {
  eventID: 'id-order',
  eventName: 'MODIFY' as const,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  eventSourceARN: arn,
  dynamodb: {
    Keys: { pk: { S: 'T#ten_1#O#ord_1' }, sk: { S: 'ORDER' } },
    NewImage: {
      pk: { S: 'T#ten_1#O#ord_1' },
      sk: { S: 'ORDER' },
      entity: { S: 'order' },
      lastSequence: { N: '2' },
    },
    OldImage: {
      pk: { S: 'T#ten_1#O#ord_1' },
      sk: { S: 'ORDER' },
      entity: { S: 'order' },
      lastSequence: { N: '1' },
    },
    SequenceNumber: '200000000000000000001',
    SizeBytes: 80,
    StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
  },
};

const removal = { ...orderModify, eventID: 'id-removal', eventName: 'REMOVE' as const };

const noSignals = {
  signal: async () => {
    throw new Error('no signal expected');
  },
};

/** An order that moved to submitted, with a total beyond 2^53. */
const submitted = {
  ...newOrder({
    request: CreateOrderRequest.parse(sampleOrder),
    stage: 'preliminary',
    workflowVersion: 0,
    now: new Date('2026-11-26T10:00:00.000Z'),
  }),
  stage: 'submitted',
  version: 2,
};
submitted.totals = { ...submitted.totals, grand: 1e21 };

/** An order item's change as the stream reports it, storing `signal` (and holding `before`). */
function orderChange(signal?: string, before?: string) {
  const image = (token?: string) =>
    marshall(
      {
        pk: 'T#ten_1#O#ord_1',
        sk: 'ORDER',
        entity: 'order',
        tenantId: 'ten_1',
        stage: submitted.stage,
        entry: 2,
        lastSequence: 2,
        order: submitted,
        ...(token ? { pendingSignal: { token } } : {}),
      },
      { allowImpreciseNumbers: true, removeUndefinedValues: true },
    ) as Record<string, AttributeValue>;
  return {
    ...orderModify,
    eventID: `id-${signal}`,
    dynamodb: { ...orderModify.dynamodb, NewImage: image(signal), OldImage: image(before) },
  };
}

function fanOut(publish: (event: CommittedEvent, batch?: SubscriptionsOfBatch) => Promise<number>) {
  return { publish: vi.fn(publish) } as unknown as WebhookFanOut & { publish: ReturnType<typeof vi.fn> };
}

describe('the events function', () => {
  it('publishes each inserted history event once, in stream order, and ignores every other change', async () => {
    const target = fanOut(async () => 1);
    const event: DynamoDBStreamEvent = {
      Records: [eventInsert(1, 'order.created'), orderModify, eventInsert(2), removal],
    };
    const result = await createEventsHandler(target, noSignals)(event, context);
    expect(result).toEqual({ batchItemFailures: [] });
    // One batch shares one read of each tenant's subscriptions.
    expect(new Set(target.publish.mock.calls.map(([, batch]) => batch)).size).toBe(1);
    expect(target.publish.mock.calls.map(([e]) => e)).toEqual([
      {
        id: 'evt_01',
        type: 'order.created',
        tenantId: 'ten_1',
        orderId: 'ord_1',
        sequence: 1,
        timestamp: '2026-11-26T10:00:00.000Z',
      },
      {
        id: 'evt_02',
        type: 'order.updated',
        tenantId: 'ten_1',
        orderId: 'ord_1',
        sequence: 2,
        timestamp: '2026-11-26T10:00:00.000Z',
      },
    ]);
  });

  it('reports the first record whose fan-out failed and stops there, so the stream retries from it', async () => {
    const target = fanOut(async (e) => {
      if (e.sequence === 2) throw new Error('table unavailable');
      return 1;
    });
    const event: DynamoDBStreamEvent = { Records: [eventInsert(1), eventInsert(2), eventInsert(3)] };
    const result = await createEventsHandler(target, noSignals)(event, context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '100000000000000000002' }] });
    expect(target.publish).toHaveBeenCalledTimes(2);
  });

  it('sends the signal a change stored on an order once, when the change that stored it comes by', async () => {
    const sent: unknown[][] = [];
    const signals = {
      signal: vi.fn(async (...args: unknown[]) => {
        sent.push(args);
        return 'delivered' as const;
      }),
    };
    const event: DynamoDBStreamEvent = {
      Records: [
        orderChange('token-1'),
        // A later write of the order still carries it: not sent again.
        orderChange('token-1', 'token-1'),
        orderChange('token-2', 'token-1'),
        // The next wait removed it.
        orderChange(undefined, 'token-2'),
        { ...orderChange('token-3'), eventName: 'REMOVE' as const },
      ],
    };
    const result = await createEventsHandler(
      fanOut(async () => 1),
      signals,
    )(event, context);
    expect(result).toEqual({ batchItemFailures: [] });
    // The order the change stored is the execution's next state.
    const next = executionState('ten_1', submitted, 2);
    expect(next.order.totals.grand).toBe(1e21);
    expect(sent).toEqual([
      ['token-1', next],
      ['token-2', next],
    ]);
  });

  it('reports a signal that could not be sent, so the stream retries from it', async () => {
    const signals = {
      signal: async () => {
        throw new Error('Step Functions unavailable');
      },
    };
    const event: DynamoDBStreamEvent = { Records: [eventInsert(1), orderChange('token-1'), eventInsert(2)] };
    const target = fanOut(async () => 1);
    const result = await createEventsHandler(target, signals)(event, context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '200000000000000000001' }] });
    expect(target.publish).toHaveBeenCalledTimes(1);
  });
});
