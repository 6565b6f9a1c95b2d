import type { ApiRequest, ApiResponse } from '../../../shared/http/request.js';
import type { OperationId, Route } from '../../../shared/http/routes.js';
import type { ApiDeps } from '../deps.js';
import { applyOrderChange } from './apply-order-change.js';
import { createApiKey } from './create-api-key.js';
import { createAttachment } from './create-attachment.js';
import { createOrder } from './create-order.js';
import { createOrderShipment } from './create-order-shipment.js';
import { createTenant } from './create-tenant.js';
import { createWebhook } from './create-webhook.js';
import { deleteAttachment } from './delete-attachment.js';
import { deleteWebhook } from './delete-webhook.js';
import { drawWorkflowDiagram } from './draw-workflow-diagram.js';
import { getActionSigningSecret } from './get-action-signing-secret.js';
import { getAttachmentContent } from './get-attachment-content.js';
import { getConsole, getConsoleAsset } from './get-console.js';
import { getInventory } from './get-inventory.js';
import { getNotificationRecipients } from './get-notification-recipients.js';
import { getOrder } from './get-order.js';
import { getWorkflow } from './get-workflow.js';
import { getWorkflowDiagram } from './get-workflow-diagram.js';
import { getWorkflowJsonSchema } from './get-workflow-json-schema.js';
import { getWorkflowVersion } from './get-workflow-version.js';
import { health } from './health.js';
import { issueKey } from './issue-key.js';
import { listApiKeys } from './list-api-keys.js';
import { listAttachments } from './list-attachments.js';
import { listLaborTasks } from './list-labor-tasks.js';
import { listOrderChanges } from './list-order-changes.js';
import { listOrderEvents } from './list-order-events.js';
import { listOrderReturns } from './list-order-returns.js';
import { listOrderShipments } from './list-order-shipments.js';
import { listOrderTransitions } from './list-order-transitions.js';
import { listOrders } from './list-orders.js';
import { listPurchaseOrders } from './list-purchase-orders.js';
import { listWebhookDeliveries } from './list-webhook-deliveries.js';
import { listWebhooks } from './list-webhooks.js';
import { listWorkflowVersions } from './list-workflow-versions.js';
import { migrateOrder } from './migrate-order.js';
import { openapi } from './openapi.js';
import { patchOrder } from './patch-order.js';
import { placeOrderHold } from './place-order-hold.js';
import { progressOrderItem } from './progress-order-item.js';
import { progressOrderService } from './progress-order-service.js';
import { proposeOrderChange } from './propose-order-change.js';
import { publishWorkflow } from './publish-workflow.js';
import { receiveOrderReturn } from './receive-order-return.js';
import { recoverWebhook } from './recover-webhook.js';
import { redeliverWebhookDelivery } from './redeliver-webhook-delivery.js';
import { refundOrderReturn } from './refund-order-return.js';
import { rejectOrderChange } from './reject-order-change.js';
import { rejectOrderReturn } from './reject-order-return.js';
import { releaseOrderHold } from './release-order-hold.js';
import { requestOrderReturn } from './request-order-return.js';
import { retryOrderActions } from './retry-order-actions.js';
import { revokeApiKey } from './revoke-api-key.js';
import { revokeKey } from './revoke-key.js';
import { rotateWebhookSecret } from './rotate-webhook-secret.js';
import { setInventory } from './set-inventory.js';
import { setNotificationRecipients } from './set-notification-recipients.js';
import { simulateWorkflow } from './simulate-workflow.js';
import { transitionOrder } from './transition-order.js';
import { validateWorkflow } from './validate-workflow.js';

export type Operation<Id extends OperationId> = (
  request: ApiRequest<Extract<Route, { operationId: Id }>>,
  deps: ApiDeps,
) => Promise<ApiResponse>;

/** Each route's handler; the type makes a route without a handler a compile error. */
export const operations: { [Id in OperationId]: Operation<Id> } = {
  health,
  openapi,
  getConsole,
  getConsoleAsset,
  createTenant,
  issueKey,
  revokeKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  createOrder,
  listOrders,
  getOrder,
  patchOrder,
  listOrderEvents,
  transitionOrder,
  listOrderTransitions,
  progressOrderItem,
  progressOrderService,
  placeOrderHold,
  releaseOrderHold,
  createOrderShipment,
  listOrderShipments,
  requestOrderReturn,
  listOrderReturns,
  receiveOrderReturn,
  refundOrderReturn,
  rejectOrderReturn,
  retryOrderActions,
  migrateOrder,
  validateWorkflow,
  publishWorkflow,
  simulateWorkflow,
  getWorkflow,
  listWorkflowVersions,
  getWorkflowVersion,
  getWorkflowDiagram,
  drawWorkflowDiagram,
  getWorkflowJsonSchema,
  createWebhook,
  listWebhooks,
  deleteWebhook,
  listWebhookDeliveries,
  redeliverWebhookDelivery,
  rotateWebhookSecret,
  recoverWebhook,
  setInventory,
  getInventory,
  listPurchaseOrders,
  listLaborTasks,
  getActionSigningSecret,
  proposeOrderChange,
  listOrderChanges,
  applyOrderChange,
  rejectOrderChange,
  createAttachment,
  listAttachments,
  getAttachmentContent,
  deleteAttachment,
  setNotificationRecipients,
  getNotificationRecipients,
};
