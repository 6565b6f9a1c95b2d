import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsDeliveryQueue } from '../../../../shared/adapters/aws/sqs-delivery-queue.js';

const sqs = mockClient(SQSClient);
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orderflow-deliveries';
const dlqUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orderflow-deliveries-dlq';
const now = new Date('2026-11-26T10:00:00.000Z');
const message = { tenantId: 'ten_1', webhookId: 'wh_1', deliveryId: 'dlv_1', orderId: 'ord_1' };
const queue = new SqsDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), queueUrl, dlqUrl, () => now);

const sent = () => sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

describe('the SQS delivery queue', () => {
  it('sends a due delivery without delay', async () => {
    await queue.send(message);
    expect(sent()).toEqual([{ QueueUrl: queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: 0 }]);
  });

  it('delays a retry until it is due, rounding up to whole seconds', async () => {
    await queue.send(message, new Date(now.getTime() + 4_200));
    expect(sent()[0]?.DelaySeconds).toBe(5);
  });

  it('caps the delay at 15 minutes; the worker chains the rest', async () => {
    await queue.send(message, new Date(now.getTime() + 2 * 3600_000));
    expect(sent()[0]?.DelaySeconds).toBe(900);
  });

  it('hands a delivery that failed its last attempt to the dead-letter queue with the reason', async () => {
    await queue.deadLetter(message, 'last response 503');
    expect(sent()).toEqual([
      {
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { reason: { DataType: 'String', StringValue: 'last response 503' } },
      },
    ]);
  });
});
