import { ApiKeyAuthenticator } from '../../shared/auth/api-keys.js';
import { TenantService } from '../../shared/auth/tenants.js';
import { CursorCodec } from '../../shared/http/cursor.js';
import { OrderService } from '../../shared/orders/service.js';
import { createDocumentClient, type DynamoConfig } from '../../shared/store/dynamodb/client.js';
import { DynamoIdempotencyStore } from '../../shared/store/dynamodb/idempotency-store.js';
import { DynamoOrderStore } from '../../shared/store/dynamodb/order-store.js';
import { DynamoTenantStore } from '../../shared/store/dynamodb/tenant-store.js';
import { DynamoWebhookStore } from '../../shared/store/dynamodb/webhook-store.js';
import { DynamoWorkflowStore } from '../../shared/store/dynamodb/workflow-store.js';
import type { DeliveryQueue } from '../../shared/webhooks/delivery-queue.js';
import type { SecretBox } from '../../shared/webhooks/secret-box.js';
import { WebhookService } from '../../shared/webhooks/subscriptions.js';
import { defaultWorkflow } from '../../shared/workflow/default-workflow.js';
import type { ApiDeps } from './deps.js';

export interface ApiConfig extends DynamoConfig {
  adminKeyHash: string;
  cursorSecret: string;
  /** How this runtime encrypts signing secrets and queues deliveries (redeliver). */
  webhooks: { secretBox: SecretBox; queue: DeliveryQueue; allowLocal: boolean };
}

/** Wires the api function's dependencies from configuration; AWS and the local stack both call it. */
export function wireApi(config: ApiConfig): ApiDeps {
  const client = createDocumentClient(config);
  const clock = () => new Date();
  const tenantStore = new DynamoTenantStore(client, config.tableName);
  const workflows = new DynamoWorkflowStore(client, config.tableName, defaultWorkflow);
  return {
    orders: new OrderService(new DynamoOrderStore(client, config.tableName), workflows, clock),
    tenants: new TenantService(tenantStore, clock),
    authenticator: new ApiKeyAuthenticator(tenantStore),
    idempotency: new DynamoIdempotencyStore(client, config.tableName),
    cursors: new CursorCodec(config.cursorSecret),
    adminKeyHash: config.adminKeyHash,
    clock,
    webhooks: new WebhookService(
      new DynamoWebhookStore(client, config.tableName),
      config.webhooks.secretBox,
      config.webhooks.queue,
      { allowLocal: config.webhooks.allowLocal },
      clock,
    ),
  };
}
