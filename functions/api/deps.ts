import type { ApiKeyAuthenticator } from '../../shared/auth/api-keys.js';
import type { TenantService } from '../../shared/auth/tenants.js';
import type { CursorCodec } from '../../shared/http/cursor.js';
import type { OrderService } from '../../shared/orders/service.js';
import type { IdempotencyStore } from '../../shared/store/idempotency-store.js';
import type { WebhookService } from '../../shared/webhooks/subscriptions.js';

/** Everything the api function's operations use, wired once per runtime (AWS or local). */
export interface ApiDeps {
  orders: OrderService;
  tenants: TenantService;
  authenticator: ApiKeyAuthenticator;
  idempotency: IdempotencyStore;
  cursors: CursorCodec;
  /** SHA-256 (hex) of the admin bearer key. */
  adminKeyHash: string;
  clock: () => Date;
  webhooks: WebhookService;
}
