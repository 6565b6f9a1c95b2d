import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.js';
import type { PageKey } from '../../orders/order-store.js';
import type { OrderEvent } from '../../orders/schema.js';
import { keys, recordTypes } from '../../table.js';
import {
  type AttemptResult,
  type DeliveryRecord,
  KEPT_ATTEMPTS,
  type SecretRotation,
  type WebhookRecord,
  type WebhookStore,
} from '../../webhooks/webhook-store.js';
import { storeCall } from './client.js';
import { eventItem, eventOf } from './history-events.js';

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as T;
}

export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.webhook(webhook.tenantId, webhook.id), entity: recordTypes.webhook, ...webhook },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getWebhook(tenantId: string, webhookId: string): Promise<WebhookRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.webhook(tenantId, webhookId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? withoutKeys<WebhookRecord>(Item) : undefined;
  }

  async listWebhooks(tenantId: string, limit: number, after?: PageKey) {
    const { items, lastKey } = await this.query(
      keys.webhook(tenantId, '').pk,
      keys.webhookPrefix,
      limit,
      after,
    );
    return {
      webhooks: items.map((item) => withoutKeys<WebhookRecord>(item)),
      ...(lastKey ? { lastKey } : {}),
    };
  }

  async allWebhooks(tenantId: string): Promise<WebhookRecord[]> {
    const webhooks: WebhookRecord[] = [];
    let after: PageKey | undefined;
    do {
      const page = await this.listWebhooks(tenantId, 100, after);
      webhooks.push(...page.webhooks);
      after = page.lastKey;
    } while (after);
    return webhooks;
  }

  async deleteWebhook(tenantId: string, webhookId: string): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.webhook(tenantId, webhookId),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async disableWebhook(tenantId: string, webhookId: string, reason: string, at: string): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.webhook(tenantId, webhookId),
            UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, disabledAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason, ':at': at },
          }),
        ),
      );
    } catch (error) {
      // Deleted meanwhile: nothing left to disable.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async rotateSecret(webhook: WebhookRecord, rotation: SecretRotation): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhook(webhook.tenantId, webhook.id),
        UpdateExpression:
          'SET sealedSecret = :secret, previousSealedSecret = :previous, previousSecretExpiresAt = :expires',
        ConditionExpression: 'sealedSecret = :expected',
        ExpressionAttributeValues: {
          ':secret': rotation.sealedSecret,
          ':previous': rotation.previousSealedSecret,
          ':expires': rotation.expiresAt,
          ':expected': webhook.sealedSecret,
        },
      }),
    );
  }

  async markFailing(tenantId: string, webhookId: string, at: string): Promise<void> {
    await this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhook(tenantId, webhookId),
        UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async markHealthy(tenantId: string, webhookId: string): Promise<void> {
    await this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhook(tenantId, webhookId),
        UpdateExpression: 'REMOVE failingSince',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async disableFailing(
    webhook: WebhookRecord,
    failingSince: string,
    reason: string,
    at: string,
    event: OrderEvent,
  ): Promise<boolean> {
    const disable = {
      TableName: this.tableName,
      Key: keys.webhook(webhook.tenantId, webhook.id),
      UpdateExpression:
        'SET #status = :disabled, disabledReason = :reason, disabledAt = :at, disabledCount = :count',
      ConditionExpression:
        '#status = :active AND failingSince <= :since AND (attribute_not_exists(disabledCount) OR disabledCount = :previousCount)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':disabled': 'disabled',
        ':active': 'active',
        ':reason': reason,
        ':at': at,
        ':since': failingSince,
        ':count': event.sequence,
        ':previousCount': event.sequence - 1,
      },
    };
    const put = {
      TableName: this.tableName,
      Item: eventItem(webhook.tenantId, event),
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    return this.conditionally(
      new TransactWriteCommand({ TransactItems: [{ Update: disable }, { Put: put }] }),
    );
  }

  async enableWebhook(tenantId: string, webhookId: string): Promise<void> {
    await this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhook(tenantId, webhookId),
        UpdateExpression: 'SET #status = :active REMOVE disabledReason, disabledAt, failingSince',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active' },
      }),
    );
  }

  async deliveriesFrom(tenantId: string, webhookId: string, fromDeliveryId: string, limit: number) {
    const { pk, sk } = keys.delivery(tenantId, webhookId, fromDeliveryId);
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': pk, ':from': sk },
          ConsistentRead: true,
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map((item) => withoutKeys<DeliveryRecord>(item));
  }

  /** Sends a conditional write; false when its condition did not hold. */
  private async conditionally(command: UpdateCommand | TransactWriteCommand): Promise<boolean> {
    try {
      await storeCall(() => this.client.send(command as UpdateCommand));
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async createDelivery(delivery: DeliveryRecord) {
    const key = keys.delivery(delivery.tenantId, delivery.webhookId, delivery.id);
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, entity: recordTypes.delivery, ...delivery },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return { created: true, delivery };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const stored = await this.getDelivery(delivery.tenantId, delivery.webhookId, delivery.id);
      if (!stored) throw error;
      return { created: false, delivery: stored };
    }
  }

  async getDelivery(tenantId: string, webhookId: string, deliveryId: string) {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.delivery(tenantId, webhookId, deliveryId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? withoutKeys<DeliveryRecord>(Item) : undefined;
  }

  async listDeliveries(tenantId: string, webhookId: string, limit: number, after?: PageKey) {
    const { items, lastKey } = await this.query(
      keys.delivery(tenantId, webhookId, '').pk,
      keys.deliveryPrefix,
      limit,
      after,
    );
    return {
      deliveries: items.map((item) => withoutKeys<DeliveryRecord>(item)),
      ...(lastKey ? { lastKey } : {}),
    };
  }

  async recordAttempt(delivery: DeliveryRecord, result: AttemptResult, now: string): Promise<boolean> {
    const attempts = [...delivery.attempts, result.attempt].slice(-KEPT_ATTEMPTS);
    const next = result.nextAttemptAt === undefined ? ' REMOVE nextAttemptAt' : ', nextAttemptAt = :next';
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.delivery(delivery.tenantId, delivery.webhookId, delivery.id),
            UpdateExpression: `SET #status = :status, attempts = :attempts, attemptCount = :count, seriesAttempts = :series, updatedAt = :now${next}`,
            ConditionExpression: '#status = :pending AND attemptCount = :expected',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': result.status,
              ':attempts': attempts,
              ':count': delivery.attemptCount + 1,
              ':series': delivery.seriesAttempts + 1,
              ':now': now,
              ':pending': 'pending',
              ':expected': delivery.attemptCount,
              ...(result.nextAttemptAt === undefined ? {} : { ':next': result.nextAttemptAt }),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async restartDelivery(tenantId: string, webhookId: string, deliveryId: string, now: string) {
    try {
      const { Attributes } = await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.delivery(tenantId, webhookId, deliveryId),
            UpdateExpression:
              'SET #status = :pending, seriesAttempts = :zero, nextAttemptAt = :now, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending', ':zero': 0, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return Attributes ? withoutKeys<DeliveryRecord>(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  async getEvent(tenantId: string, orderId: string, sequence: number): Promise<OrderEvent | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keys.orderEvent(tenantId, orderId, sequence) }),
      ),
    );
    return Item ? eventOf(Item) : undefined;
  }

  private async query(pk: string, prefix: string, limit: number, after?: PageKey) {
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit,
          ExclusiveStartKey: after,
        }),
      ),
    );
    return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey };
  }
}
