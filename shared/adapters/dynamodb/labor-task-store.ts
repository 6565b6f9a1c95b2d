import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LaborTaskStore } from '../../actions/labor-task-store.js';
import type { LaborTask } from '../../actions/schema.js';
import type { PageKey } from '../../orders/order-store.js';
import { keys, recordTypes } from '../../table.js';
import { OrderPartitionRecords } from './order-partition.js';

export class DynamoLaborTaskStore implements LaborTaskStore {
  private readonly records: OrderPartitionRecords<LaborTask>;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.records = new OrderPartitionRecords(client, tableName, recordTypes.laborTask, keys.laborTaskPrefix);
  }

  createOnce(tenantId: string, task: LaborTask): Promise<LaborTask> {
    return this.records.putOnce(
      keys.laborTask(tenantId, task.orderId, task.entry, task.actionId),
      tenantId,
      task,
    );
  }

  cancel(tenantId: string, task: LaborTask, at: string): Promise<boolean> {
    return this.records.cancelOnce(keys.laborTask(tenantId, task.orderId, task.entry, task.actionId), at);
  }

  allOfOrder(tenantId: string, orderId: string): Promise<LaborTask[]> {
    return this.records.all(keys.order(tenantId, orderId).pk);
  }

  async listOfOrder(tenantId: string, orderId: string, limit: number, after?: PageKey) {
    const { records, lastKey } = await this.records.list(keys.order(tenantId, orderId).pk, limit, after);
    return { laborTasks: records, ...(lastKey ? { lastKey } : {}) };
  }
}
