import type { ApiRequest, ApiResponse } from '../../../shared/http/request.js';
import type { OperationId, Route } from '../../../shared/http/routes.js';
import type { ApiDeps } from '../deps.js';
import { createOrder } from './create-order.js';
import { createTenant } from './create-tenant.js';
import { createWebhook } from './create-webhook.js';
import { deleteWebhook } from './delete-webhook.js';
import { getOrder } from './get-order.js';
import { health } from './health.js';
import { issueKey } from './issue-key.js';
import { listOrderEvents } from './list-order-events.js';
import { listOrders } from './list-orders.js';
import { listWebhookDeliveries } from './list-webhook-deliveries.js';
import { listWebhooks } from './list-webhooks.js';
import { openapi } from './openapi.js';
import { patchOrder } from './patch-order.js';
import { redeliverWebhookDelivery } from './redeliver-webhook-delivery.js';
import { revokeKey } from './revoke-key.js';

export type Operation<Id extends OperationId> = (
  request: ApiRequest<Extract<Route, { operationId: Id }>>,
  deps: ApiDeps,
) => Promise<ApiResponse>;

/** Each route's handler; the type makes a route without a handler a compile error. */
export const operations: { [Id in OperationId]: Operation<Id> } = {
  health,
  openapi,
  createTenant,
  issueKey,
  revokeKey,
  createOrder,
  listOrders,
  getOrder,
  patchOrder,
  listOrderEvents,
  createWebhook,
  listWebhooks,
  deleteWebhook,
  listWebhookDeliveries,
  redeliverWebhookDelivery,
};
