import { InventoryService } from '../../shared/actions/inventory.js';
import { ActionSigningSecrets } from '../../shared/actions/signing.js';
import { dynamoActionStores } from '../../shared/adapters/dynamodb/action-stores.js';
import { DynamoAttachmentStore } from '../../shared/adapters/dynamodb/attachment-store.js';
import { DynamoChangeStore } from '../../shared/adapters/dynamodb/change-store.js';
import { createDocumentClient, type DynamoConfig } from '../../shared/adapters/dynamodb/client.js';
import { DynamoDependencyProbe } from '../../shared/adapters/dynamodb/dependency-probe.js';
import { DynamoIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency-store.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/notification-store.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { DynamoTenantStore } from '../../shared/adapters/dynamodb/tenant-store.js';
import { DynamoWebhookStore } from '../../shared/adapters/dynamodb/webhook-store.js';
import { DynamoWorkflowStore } from '../../shared/adapters/dynamodb/workflow-store.js';
import type { ObjectStorage } from '../../shared/attachments/object-storage.js';
import { AttachmentService, attachmentOrdersOf } from '../../shared/attachments/service.js';
import { ApiKeyAuthenticator, KeyUseRecorder } from '../../shared/auth/api-keys.js';
import { TenantService } from '../../shared/auth/tenants.js';
import { ChangeService } from '../../shared/changes/service.js';
import type { ConsoleAssets } from '../../shared/console/console-assets.js';
import { CursorCodec } from '../../shared/http/cursor.js';
import type { Order } from '../../shared/orders/schema.js';
import { OrderService } from '../../shared/orders/service.js';
import type { WorkflowEngine } from '../../shared/orders/workflow-engine.js';
import type { DeliveryQueue } from '../../shared/webhooks/delivery-queue.js';
import type { SecretBox } from '../../shared/webhooks/secret-box.js';
import { WebhookService } from '../../shared/webhooks/subscriptions.js';
import type { CompileTargets } from '../../shared/workflow/compile.js';
import { builtInDefaults, builtInDefaultWorkflows } from '../../shared/workflow/default-workflow.js';
import type { SvgRenderer } from '../../shared/workflow/diagram-renderer.js';
import { WorkflowService } from '../../shared/workflow/service.js';
import type { ApiDeps } from './deps.js';

export interface ApiConfig extends DynamoConfig {
  adminKeyHash: string;
  cursorSecret: string;
  /** How this runtime encrypts signing secrets and queues deliveries (redeliver). */
  webhooks: { secretBox: SecretBox; queue: DeliveryQueue; allowLocal: boolean };
  /** Server key that per-tenant http action signing secrets derive from (ActionSigningSecrets). */
  actionSigningKey: string;
  /** What drives orders through their stages (Step Functions, or the local interpreter). */
  engine: WorkflowEngine;
  /** What compiled workflows call: this runtime's table and task function. */
  workflowTargets: CompileTargets;
  /** The local stack's switch letting `http` actions and webhooks call 127.0.0.1. */
  allowLocalUrls?: boolean;
  /** Where this runtime finds the console's files (built with the bundle, or on the fly locally). */
  consoleAssets: ConsoleAssets;
  /** How diagrams are laid out: off the event loop where one process serves everyone. */
  svgRenderer: SvgRenderer;
  /** Where attachment files are uploaded to and downloaded from (S3, or the local S3 server). */
  attachmentStorage: ObjectStorage;
}

/** Wires the api function's dependencies from configuration; AWS and the local stack both call it. */
export function wireApi(config: ApiConfig): ApiDeps {
  const client = createDocumentClient(config);
  const clock = () => new Date();
  const tenantStore = new DynamoTenantStore(client, config.tableName);
  const workflows = new DynamoWorkflowStore(client, config.tableName, builtInDefaultWorkflows);
  const orderStore = new DynamoOrderStore(client, config.tableName);
  const actionStores = dynamoActionStores(client, config.tableName);
  const attachments: AttachmentService = new AttachmentService(
    new DynamoAttachmentStore(client, config.tableName),
    config.attachmentStorage,
    attachmentOrdersOf(
      { get: (tenantId, orderId): Promise<Order> => orders.get(tenantId, orderId) },
      workflows,
    ),
    clock,
  );
  const orders: OrderService = new OrderService(
    orderStore,
    workflows,
    config.engine,
    clock,
    undefined,
    (tenantId, orderId) => attachments.availableCount(tenantId, orderId),
  );
  return {
    orders,
    attachments,
    notifications: new DynamoNotificationStore(client, config.tableName),
    changes: new ChangeService(
      orderStore,
      new DynamoChangeStore(client, config.tableName),
      actionStores.inventory,
      workflows,
      config.engine,
      clock,
    ),
    workflows: new WorkflowService(
      workflows,
      config.engine,
      config.workflowTargets,
      builtInDefaults,
      { allowLocalHttpUrls: config.allowLocalUrls === true },
      clock,
    ),
    tenants: new TenantService(tenantStore, clock),
    authenticator: new ApiKeyAuthenticator(tenantStore),
    keyUse: new KeyUseRecorder(tenantStore, clock),
    idempotency: new DynamoIdempotencyStore(client, config.tableName),
    cursors: new CursorCodec(config.cursorSecret),
    adminKeyHash: config.adminKeyHash,
    consoleAssets: config.consoleAssets,
    secretBox: config.webhooks.secretBox,
    clock,
    webhooks: new WebhookService(
      new DynamoWebhookStore(client, config.tableName),
      config.webhooks.secretBox,
      config.webhooks.queue,
      { allowLocal: config.webhooks.allowLocal },
      clock,
    ),
    ...actionDeps(actionStores, config.actionSigningKey),
    dependencies: new DynamoDependencyProbe(client, config.tableName),
    svgRenderer: config.svgRenderer,
  };
}

function actionDeps(stores: ReturnType<typeof dynamoActionStores>, signingKey: string) {
  return {
    inventory: new InventoryService(stores.inventory),
    purchaseOrders: stores.purchaseOrders,
    laborTasks: stores.laborTasks,
    actionSigning: new ActionSigningSecrets(signingKey),
  };
}
