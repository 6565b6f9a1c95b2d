import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PurchaseOrderStore } from '../../actions/purchase-order-store.js';
import type { PurchaseOrder } from '../../actions/schema.js';
import type { PageKey } from '../../orders/order-store.js';
import { keys, recordTypes } from '../../table.js';
import { OrderPartitionRecords } from './order-partition.js';

const ENTITY = recordTypes.purchaseOrder;

function purchaseOrderKey(tenantId: string, purchaseOrder: PurchaseOrder) {
  const { orderId, entry, actionId, supplier, changeId } = purchaseOrder;
  return keys.purchaseOrder(tenantId, orderId, entry, actionId, supplier, changeId);
}

/** The purchase order's write for another transaction: once per key, refused if it exists. */
export function purchaseOrderPut(tableName: string, tenantId: string, purchaseOrder: PurchaseOrder) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...purchaseOrderKey(tenantId, purchaseOrder), entity: ENTITY, tenantId, ...purchaseOrder },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export class DynamoPurchaseOrderStore implements PurchaseOrderStore {
  private readonly records: OrderPartitionRecords<PurchaseOrder>;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.records = new OrderPartitionRecords(client, tableName, ENTITY, keys.purchaseOrderPrefix);
  }

  createOnce(tenantId: string, purchaseOrder: PurchaseOrder): Promise<PurchaseOrder> {
    return this.records.putOnce(purchaseOrderKey(tenantId, purchaseOrder), tenantId, purchaseOrder);
  }

  cancel(tenantId: string, purchaseOrder: PurchaseOrder, at: string): Promise<boolean> {
    const { orderId, entry, actionId, supplier } = purchaseOrder;
    return this.records.cancelOnce(keys.purchaseOrder(tenantId, orderId, entry, actionId, supplier), at);
  }

  allOfOrder(tenantId: string, orderId: string): Promise<PurchaseOrder[]> {
    return this.records.all(keys.order(tenantId, orderId).pk);
  }

  async listOfOrder(tenantId: string, orderId: string, limit: number, after?: PageKey) {
    const { records, lastKey } = await this.records.list(keys.order(tenantId, orderId).pk, limit, after);
    return { purchaseOrders: records, ...(lastKey ? { lastKey } : {}) };
  }
}
