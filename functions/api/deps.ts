import type { InventoryService } from '../../shared/actions/inventory.js';
import type { LaborTaskStore } from '../../shared/actions/labor-task-store.js';
import type { PurchaseOrderStore } from '../../shared/actions/purchase-order-store.js';
import type { ActionSigningSecrets } from '../../shared/actions/signing.js';
import type { ApiKeyAuthenticator } from '../../shared/auth/api-keys.js';
import type { TenantService } from '../../shared/auth/tenants.js';
import type { CursorCodec } from '../../shared/http/cursor.js';
import type { DependencyProbe } from '../../shared/http/health.js';
import type { IdempotencyStore } from '../../shared/http/idempotency-store.js';
import type { OrderService } from '../../shared/orders/service.js';
import type { SecretBox } from '../../shared/webhooks/secret-box.js';
import type { WebhookService } from '../../shared/webhooks/subscriptions.js';
import type { SvgRenderer } from '../../shared/workflow/diagram-renderer.js';
import type { WorkflowService } from '../../shared/workflow/service.js';

/** Everything the api function's operations use, wired once per runtime (AWS or local). */
export interface ApiDeps {
  orders: OrderService;
  workflows: WorkflowService;
  tenants: TenantService;
  authenticator: ApiKeyAuthenticator;
  idempotency: IdempotencyStore;
  cursors: CursorCodec;
  /** Encrypts what must not rest in plain text (replayable responses that carry secrets). */
  secretBox: SecretBox;
  /** SHA-256 (hex) of the admin bearer key. */
  adminKeyHash: string;
  clock: () => Date;
  webhooks: WebhookService;
  inventory: InventoryService;
  /** What orders' stage actions created, listed per order. */
  purchaseOrders: PurchaseOrderStore;
  laborTasks: LaborTaskStore;
  actionSigning: ActionSigningSecrets;
  /** What `/health` checks. */
  dependencies: DependencyProbe;
  svgRenderer: SvgRenderer;
}
