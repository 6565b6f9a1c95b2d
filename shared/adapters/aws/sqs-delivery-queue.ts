import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryMessage, DeliveryQueue } from '../../webhooks/delivery-queue.js';

/** SQS holds a message back for at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

/**
 * Deliveries on SQS. A retry is a new message delayed until it is due; retries further away
 * than SQS's 15-minute limit are chained: the worker, woken early, queues the message again
 * for the remaining time (the delivery record holds the real due time).
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(message: DeliveryMessage, notBefore?: Date): Promise<void> {
    const waitMs = notBefore ? notBefore.getTime() - this.clock().getTime() : 0;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000))),
      }),
    );
  }

  async deadLetter(message: DeliveryMessage, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      }),
    );
  }
}
