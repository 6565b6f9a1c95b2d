import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInventoryStore } from './inventory-store.js';
import { DynamoLaborTaskStore } from './labor-task-store.js';
import { DynamoPurchaseOrderStore } from './purchase-order-store.js';

/** The stores stage actions write to, over one table: spread into BuiltInActionRunner's options. */
export function dynamoActionStores(client: DynamoDBDocumentClient, tableName: string) {
  return {
    inventory: new DynamoInventoryStore(client, tableName),
    purchaseOrders: new DynamoPurchaseOrderStore(client, tableName),
    laborTasks: new DynamoLaborTaskStore(client, tableName),
  };
}
