import { BuiltInActionRunner } from '../../shared/actions/runner.js';
import { ActionSigningSecrets } from '../../shared/actions/signing.js';
import { dynamoActionStores } from '../../shared/adapters/dynamodb/action-stores.js';
import { createDocumentClient, type DynamoConfig } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../shared/adapters/dynamodb/workflow-store.js';
import { WorkflowTasks } from '../../shared/orders/workflow-tasks.js';
import { builtInDefaultWorkflows } from '../../shared/workflow/default-workflow.js';

export interface TaskConfig extends DynamoConfig {
  /** Server key the per-tenant `http` action signing secrets derive from. */
  actionSigningKey: string;
  /** Lets `http` actions call http://127.0.0.1 (the local stack's switch). */
  allowLocalUrls?: boolean;
}

/** Wires the workflow-task function's domain; AWS and the local engine both call it. */
export function wireTasks(config: TaskConfig): WorkflowTasks {
  const client = createDocumentClient(config);
  const stores = dynamoActionStores(client, config.tableName);
  return new WorkflowTasks(
    new DynamoOrderStore(client, config.tableName),
    new DynamoWorkflowStore(client, config.tableName, builtInDefaultWorkflows),
    new BuiltInActionRunner({
      inventory: stores.inventory,
      purchaseOrders: stores.purchaseOrders,
      laborTasks: stores.laborTasks,
      signing: new ActionSigningSecrets(config.actionSigningKey),
      allowLocal: config.allowLocalUrls === true,
    }),
  );
}
