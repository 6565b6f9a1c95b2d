import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangeStore, ChangeWrites } from '../../changes/change-store.js';
import type { ProposedChange } from '../../changes/schema.js';
import type { OrderChange, OrderRecord, PageKey } from '../../orders/order-store.js';
import { keys } from '../../table.js';
import { storeCall } from './client.js';
import { reservationAdjustmentWrites } from './inventory-store.js';
import { OrderPartitionRecords } from './order-partition.js';
import { orderUpdateWrites, type TransactItem } from './order-store.js';
import { purchaseOrderPut } from './purchase-order-store.js';

const ENTITY = 'orderChange';

/** Changes live in their order's partition and are written in the order's own transactions. */
export class DynamoChangeStore implements ChangeStore {
  private readonly records: OrderPartitionRecords<ProposedChange>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.records = new OrderPartitionRecords(client, tableName, ENTITY, keys.orderChangePrefix);
  }

  get(tenantId: string, orderId: string, changeId: string): Promise<ProposedChange | undefined> {
    return this.records.get(keys.orderChange(tenantId, orderId, changeId));
  }

  async listOfOrder(tenantId: string, orderId: string, limit: number, after?: PageKey) {
    const { records, lastKey } = await this.records.list(keys.order(tenantId, orderId).pk, limit, after);
    return { changes: records, ...(lastKey ? { lastKey } : {}) };
  }

  async commit(
    tenantId: string,
    current: OrderRecord,
    orderChange: OrderChange,
    writes: ChangeWrites,
  ): Promise<void> {
    const { change } = writes;
    const { items } = orderUpdateWrites(this.tableName, tenantId, current, orderChange);
    const record: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.orderChange(tenantId, change.orderId, change.id),
          entity: ENTITY,
          tenantId,
          ...change,
        },
        ...(writes.expectedStatus
          ? {
              ConditionExpression: '#status = :expected',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expected': writes.expectedStatus },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
    const reservations = writes.reservations;
    const adjustments = (reservations?.adjustments ?? []).flatMap((adjustment) =>
      reservationAdjustmentWrites(this.tableName, tenantId, {
        ...adjustment,
        orderId: change.orderId,
        reservedAt: reservations?.reservedAt ?? change.proposedAt,
      }),
    );
    const purchaseOrders = (writes.purchaseOrders ?? []).map((purchaseOrder) =>
      purchaseOrderPut(this.tableName, tenantId, purchaseOrder),
    );
    await storeCall(() =>
      this.client.send(
        new TransactWriteCommand({ TransactItems: [...items, record, ...adjustments, ...purchaseOrders] }),
      ),
    );
  }
}
