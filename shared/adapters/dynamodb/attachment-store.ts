import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AttachmentStore } from '../../attachments/attachment-store.js';
import type { FileAttachment } from '../../attachments/schema.js';
import { ConflictError } from '../../errors.js';
import { keys, recordTypes } from '../../table.js';
import { storeCall } from './client.js';

function attachmentOf(item: Record<string, unknown>): FileAttachment {
  const { pk: _pk, sk: _sk, entity: _entity, tenantId: _tenantId, orderId: _orderId, ...attachment } = item;
  return attachment as FileAttachment;
}

export class DynamoAttachmentStore implements AttachmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenantId: string, orderId: string, attachment: FileAttachment): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.attachment(tenantId, orderId, attachment.id),
            entity: recordTypes.attachment,
            tenantId,
            orderId,
            ...attachment,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(tenantId: string, orderId: string, attachmentId: string): Promise<FileAttachment | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.attachment(tenantId, orderId, attachmentId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? attachmentOf(Item) : undefined;
  }

  async listOfOrder(tenantId: string, orderId: string): Promise<FileAttachment[]> {
    const { Items } = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.order(tenantId, orderId).pk,
            ':prefix': keys.attachmentPrefix,
          },
          ConsistentRead: true,
        }),
      ),
    );
    return (Items ?? []).map(attachmentOf);
  }

  async markAvailable(tenantId: string, orderId: string, attachmentId: string): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.attachment(tenantId, orderId, attachmentId),
            UpdateExpression: 'SET #status = :available',
            // Never resurrect an attachment deleted meanwhile.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':available': 'available' },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async delete(tenantId: string, orderId: string, attachmentId: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.attachment(tenantId, orderId, attachmentId),
        }),
      ),
    );
  }
}
