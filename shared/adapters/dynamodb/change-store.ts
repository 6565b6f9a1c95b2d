import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChangeRecordWrite, ChangeStore } from '../../changes/change-store.js';
import type { ProposedChange } from '../../changes/schema.js';
import type { PageKey } from '../../orders/order-store.js';
import { keys, recordTypes } from '../../table.js';
import { OrderPartitionRecords } from './order-partition.js';

const ENTITY = recordTypes.orderChange;

/** Changes live in their order's partition and are written in the order's own transactions. */
export class DynamoChangeStore implements ChangeStore {
  private readonly records: OrderPartitionRecords<ProposedChange>;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.records = new OrderPartitionRecords(client, tableName, ENTITY, keys.orderChangePrefix);
  }

  get(tenantId: string, orderId: string, changeId: string): Promise<ProposedChange | undefined> {
    return this.records.get(keys.orderChange(tenantId, orderId, changeId));
  }

  async listOfOrder(tenantId: string, orderId: string, limit: number, after?: PageKey) {
    const { records, lastKey } = await this.records.list(keys.order(tenantId, orderId).pk, limit, after);
    return { changes: records, ...(lastKey ? { lastKey } : {}) };
  }
}

/** The change record's write for its order's transaction. */
export function changeRecordPut(tableName: string, tenantId: string, write: ChangeRecordWrite) {
  const { change, expectedStatus } = write;
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.orderChange(tenantId, change.orderId, change.id), entity: ENTITY, tenantId, ...change },
      ...(expectedStatus
        ? {
            ConditionExpression: '#status = :expected',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expected': expectedStatus },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}
