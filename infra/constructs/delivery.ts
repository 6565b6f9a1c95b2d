import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The webhook delivery function's timeout; the queue's visibility timeout follows from it. */
export const DELIVERY_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Receives before a message is parked in the dead-letter queue. HTTP failures of a receiver
 * are rescheduled by the delivery function itself (its retry schedule); a receive that fails
 * means the function crashed or timed out, and five of those in a row is a poison message,
 * not a blip.
 */
export const MAX_RECEIVE_COUNT = 5;

/** The webhook delivery queue, its dead-letter queue, and the key that encrypts endpoint secrets. */
export class WebhookDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly secretsKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: six times the function timeout.
      visibilityTimeout: Duration.seconds(DELIVERY_FUNCTION_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.secretsKey = new Key(this, 'WebhookSecretsKey', {
      description: 'Orderflow webhook endpoint signing secrets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** For whoever stores an endpoint's signing secret: encrypt only. */
  grantSecretEncryption(grantee: iam.IGrantable): void {
    this.secretsKey.grant(grantee, 'kms:Encrypt');
  }

  /**
   * For the api function, which keeps replayable responses that carry secrets encrypted:
   * it may open only what it sealed for an Idempotency-Key, never a webhook signing secret.
   */
  grantReplayDecryption(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.secretsKey.keyArn],
      conditions: { StringLike: { 'kms:EncryptionContext:webhookId': 'idempotency:*' } },
    });
  }

  /** For whoever signs deliveries: decrypt only. */
  grantSecretDecryption(grantee: iam.IGrantable): void {
    this.secretsKey.grant(grantee, 'kms:Decrypt');
  }
}
