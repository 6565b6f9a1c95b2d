import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createDeliveryHandler } from '../../../functions/webhook-delivery/handler.js';
import type { DeliveryMessage } from '../../../shared/webhooks/delivery-queue.js';
import type { DeliveryWorker } from '../../../shared/webhooks/delivery-worker.js';

const context = { functionName: 'orderflow-webhook-delivery', awsRequestId: 'req-1' } as Context;

const message = (deliveryId: string): DeliveryMessage => ({
  tenantId: 'ten_1',
  webhookId: 'wh_1',
  deliveryId,
  orderId: 'ord_1',
});

/** An SQS record as the Lambda event source mapping delivers it. */
function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795687200000',
      SenderId: 'AROAEXAMPLE:orderflow-events',
      ApproximateFirstReceiveTimestamp: '1795687200100',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orderflow-deliveries',
    awsRegion: 'eu-west-1',
  };
}

describe('the delivery function', () => {
  it('attempts every message and reports only those it could not handle', async () => {
    const process = vi.fn(async (m: DeliveryMessage) => {
      if (m.deliveryId === 'dlv_broken') throw new Error('table unavailable');
    });
    const handler = createDeliveryHandler({ process } as unknown as DeliveryWorker);
    const event: SQSEvent = {
      Records: [
        record('m-1', JSON.stringify(message('dlv_ok'))),
        record('m-2', JSON.stringify(message('dlv_broken'))),
        record('m-3', 'not json'),
        record('m-4', JSON.stringify({ tenantId: 'ten_1' })),
      ],
    };
    const result = await handler(event, context);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }, { itemIdentifier: 'm-4' }],
    });
    expect(process.mock.calls.map(([m]) => m.deliveryId)).toEqual(['dlv_ok', 'dlv_broken']);
  });

  it('handles the messages of a batch at the same time', async () => {
    let open = 0;
    let most = 0;
    const process = vi.fn(async () => {
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 20));
      open--;
    });
    const handler = createDeliveryHandler({ process } as unknown as DeliveryWorker);
    const records = ['a', 'b', 'c'].map((id) => record(id, JSON.stringify(message(`dlv_${id}`))));
    expect(await handler({ Records: records }, context)).toEqual({ batchItemFailures: [] });
    expect(most).toBe(3);
  });
});
