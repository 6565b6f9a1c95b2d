import { BuiltInActionRunner } from '../../shared/actions/runner.js';
import { ActionSigningSecrets } from '../../shared/actions/signing.js';
import { dynamoActionStores } from '../../shared/adapters/dynamodb/action-stores.js';
import { createDocumentClient, type DynamoConfig } from '../../shared/adapters/dynamodb/client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/notification-store.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../shared/adapters/dynamodb/workflow-store.js';
import type { Mailer } from '../../shared/notifications/mailer.js';
import { workflowRefOf } from '../../shared/orders/workflow-source.js';
import { WorkflowTasks } from '../../shared/orders/workflow-tasks.js';
import { builtInDefaultWorkflows } from '../../shared/workflow/default-workflow.js';

export interface TaskConfig extends DynamoConfig {
  /** Server key the per-tenant `http` action signing secrets derive from. */
  actionSigningKey: string;
  /** Lets `http` actions call http://127.0.0.1 (the local stack's switch). */
  allowLocalUrls?: boolean;
  /** Sends `email` actions' mail (SES v2); without it they fail. */
  mailer?: Mailer;
}

/** Wires the workflow-task function's domain; AWS and the local engine both call it. */
export function wireTasks(config: TaskConfig): WorkflowTasks {
  const client = createDocumentClient(config);
  const stores = dynamoActionStores(client, config.tableName);
  const workflows = new DynamoWorkflowStore(client, config.tableName, builtInDefaultWorkflows);
  const { mailer } = config;
  return new WorkflowTasks(
    new DynamoOrderStore(client, config.tableName),
    workflows,
    new BuiltInActionRunner({
      inventory: stores.inventory,
      purchaseOrders: stores.purchaseOrders,
      laborTasks: stores.laborTasks,
      signing: new ActionSigningSecrets(config.actionSigningKey),
      allowLocal: config.allowLocalUrls === true,
      ...(mailer
        ? {
            email: {
              notifications: new DynamoNotificationStore(client, config.tableName),
              mailer,
              async stageLabel({ tenantId, order, stage }) {
                const ref = workflowRefOf(order);
                const pinned = await workflows.version(tenantId, ref.version, ref.revision);
                return pinned?.workflow.stages.find((candidate) => candidate.id === stage)?.label ?? stage;
              },
            },
          }
        : {}),
    }),
  );
}
