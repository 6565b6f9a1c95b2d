import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.js';
import type { EmailSendKey, NotificationStore } from '../../notifications/notification-store.js';
import type { NotificationRecipients } from '../../notifications/schema.js';
import { keys, recordTypes } from '../../table.js';
import { storeCall } from './client.js';

function sendKey(key: EmailSendKey) {
  return keys.emailSend(key.tenantId, key.orderId, key.entry, key.actionId);
}

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recipients(tenantId: string): Promise<NotificationRecipients> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.notificationRecipients(tenantId),
          ConsistentRead: true,
        }),
      ),
    );
    return (Item?.recipients as NotificationRecipients | undefined) ?? {};
  }

  async setRecipients(tenantId: string, recipients: NotificationRecipients): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notificationRecipients(tenantId),
            entity: recordTypes.notificationRecipients,
            tenantId,
            recipients,
          },
        }),
      ),
    );
  }

  async claimSend(key: EmailSendKey, claimedAt: string): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...sendKey(key), entity: recordTypes.emailSend, tenantId: key.tenantId, claimedAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async recordSent(key: EmailSendKey, messageId: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(key),
          UpdateExpression: 'SET messageId = :messageId',
          ExpressionAttributeValues: { ':messageId': messageId },
        }),
      ),
    );
  }

  async releaseClaim(key: EmailSendKey): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: sendKey(key),
          // A record that has a message id stands for a sent email and is never released.
          ConditionExpression: 'attribute_not_exists(messageId)',
        }),
      ),
    );
  }
}
