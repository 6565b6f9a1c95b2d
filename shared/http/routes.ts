import * as z from 'zod';
import {
  ActionSigningSecret,
  InventoryLevel,
  LaborTask,
  PurchaseOrder,
  SetInventoryRequest,
} from '../actions/schema.js';
import { CreateAttachmentRequest, CreatedAttachment, FileAttachment } from '../attachments/schema.js';
import {
  ApiKeySummary,
  CreateTenantRequest,
  CreateTenantResponse,
  IssueKeyRequest,
  IssueKeyResponse,
} from '../auth/schema.js';
import type { Scope } from '../auth/scopes.js';
import { ProposeChangeRequest, ProposedChange, RejectChangeRequest } from '../changes/schema.js';
import { NotificationRecipients } from '../notifications/schema.js';
import {
  CreateOrderRequest,
  Hold,
  ItemProgressRequest,
  ListOrdersQuery,
  MigrateRequest,
  Order,
  OrderEvent,
  OrderReturn,
  PageQuery,
  PatchOrderRequest,
  PlaceHoldRequest,
  page,
  ReceiveReturnRequest,
  RefundReturnRequest,
  RejectReturnRequest,
  RequestReturnRequest,
  ServiceProgressRequest,
  ShipmentRecord,
  ShipmentRequest,
  TransitionOptions,
  TransitionRequest,
} from '../orders/schema.js';
import { SimulateRequest, SimulationResult } from '../simulation/schema.js';
import {
  CreatedWebhook,
  CreateWebhookRequest,
  Delivery,
  RecoverRequest,
  Recovery,
  RotatedSecret,
  Webhook,
} from '../webhooks/schema.js';
import {
  DrawDiagramQuery,
  WorkflowDiagramQuery,
  WorkflowDocument,
  WorkflowPublished,
  WorkflowValidation,
  WorkflowVersionDetail,
  WorkflowVersionSummary,
} from '../workflow/api-schema.js';
import { WORKFLOW_SCHEMA_PATH } from '../workflow/json-schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = 'tenant' | 'admin' | 'none';

/**
 * Who may call a route. A tenant route names the scope a key needs (api.md, "Permissions"):
 * the type makes a tenant route without one a compile error.
 */
export type RouteAccess = { auth: 'tenant'; scope: Scope } | { auth: 'admin' | 'none'; scope?: never };

export type RouteDefinition = RouteAccess & {
  operationId: string;
  method: HttpMethod;
  /** API Gateway route syntax: `/v1/orders/{id}`. */
  path: string;
  summary: string;
  body?: z.ZodType;
  /**
   * `domain`: the edge only parses the JSON and the operation validates it (a workflow
   * document's problems are a 422 from the workflow validator); `body` then only documents it.
   */
  bodyValidation?: 'domain';
  /** The response holds a secret shown once; a replay for its Idempotency-Key is kept encrypted. */
  sealResponse?: boolean;
  query?: z.ZodType;
  success: {
    status: number;
    schema?: z.ZodType;
    contentType?: string;
    /** Headers the success response carries (declared in the OpenAPI document). */
    headers?: readonly ResponseHeader[];
  };
};

/**
 * Response headers with a meaning of their own: `ETag` is the order's version (a GET with a
 * matching `If-None-Match` answers 304); `Location` the URL of what a 201 created.
 */
export type ResponseHeader = 'ETag' | 'Location';

const Health = z.object({
  status: z.literal('ok'),
  dependencies: z.object({ database: z.literal('up') }).describe('Down: 503 naming the part.'),
});

/**
 * The one route table. The api function dispatches on it, the local server matches paths
 * with it, the CDK stack creates one API Gateway route per entry, and the OpenAPI document
 * is generated from it.
 */
export const routes = [
  {
    operationId: 'health',
    method: 'GET',
    path: '/health',
    auth: 'none',
    summary: 'Readiness: 200 when the database answers, else 503 naming what is down.',
    success: { status: 200, schema: Health },
  },
  {
    operationId: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    auth: 'none',
    summary: 'This API described as OpenAPI 3.1.',
    success: { status: 200 },
  },
  {
    operationId: 'getWorkflowJsonSchema',
    method: 'GET',
    path: WORKFLOW_SCHEMA_PATH,
    auth: 'none',
    summary: 'The JSON Schema of workflow documents, for editors to check and complete them.',
    success: { status: 200, contentType: 'application/schema+json' },
  },
  {
    operationId: 'getConsole',
    method: 'GET',
    path: '/console',
    auth: 'none',
    summary: 'The console: a workflow studio and an order board; every call it makes uses the key entered.',
    success: { status: 200, contentType: 'text/html' },
  },
  {
    operationId: 'getConsoleAsset',
    method: 'GET',
    path: '/console/{asset}',
    auth: 'none',
    summary: "One of the console page's scripts or styles.",
    success: { status: 200, contentType: 'text/javascript' },
  },
  {
    operationId: 'createTenant',
    method: 'POST',
    path: '/v1/admin/tenants',
    auth: 'admin',
    summary: 'Create a tenant and its first API key (shown once).',
    body: CreateTenantRequest,
    sealResponse: true,
    success: { status: 201, schema: CreateTenantResponse, headers: ['Location'] },
  },
  {
    operationId: 'issueKey',
    method: 'POST',
    path: '/v1/admin/tenants/{id}/keys',
    auth: 'admin',
    summary: 'Issue another API key for a tenant (shown once).',
    body: IssueKeyRequest,
    sealResponse: true,
    success: { status: 201, schema: IssueKeyResponse, headers: ['Location'] },
  },
  {
    operationId: 'revokeKey',
    method: 'DELETE',
    path: '/v1/admin/tenants/{id}/keys/{keyId}',
    auth: 'admin',
    summary: 'Revoke an API key.',
    success: { status: 204 },
  },
  {
    operationId: 'createApiKey',
    method: 'POST',
    path: '/v1/keys',
    auth: 'tenant',
    scope: 'keys:manage',
    summary: "Issue another key of the caller's tenant (shown once), with no scope the caller lacks.",
    body: IssueKeyRequest,
    sealResponse: true,
    success: { status: 201, schema: IssueKeyResponse, headers: ['Location'] },
  },
  {
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/v1/keys',
    auth: 'tenant',
    scope: 'keys:manage',
    summary: "The tenant's keys: name, role, scopes, created and last used (never the secret).",
    query: PageQuery,
    success: { status: 200, schema: page(ApiKeySummary) },
  },
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/keys/{keyId}',
    auth: 'tenant',
    scope: 'keys:manage',
    summary: 'Revoke a key of the tenant; it stops working on its next request.',
    success: { status: 204 },
  },
  {
    operationId: 'createOrder',
    method: 'POST',
    path: '/v1/orders',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Create an order in the initial stage of the tenant's active workflow.",
    body: CreateOrderRequest,
    success: { status: 201, schema: Order, headers: ['Location', 'ETag'] },
  },
  {
    operationId: 'listOrders',
    method: 'GET',
    path: '/v1/orders',
    auth: 'tenant',
    scope: 'orders:read',
    summary: 'List orders, newest first.',
    query: ListOrdersQuery,
    success: { status: 200, schema: page(Order) },
  },
  {
    operationId: 'getOrder',
    method: 'GET',
    path: '/v1/orders/{id}',
    auth: 'tenant',
    scope: 'orders:read',
    summary: 'One order; its version is also the ETag.',
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'patchOrder',
    method: 'PATCH',
    path: '/v1/orders/{id}',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'JSON merge-patch of the order details while the stage is editable.',
    body: PatchOrderRequest,
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'listOrderEvents',
    method: 'GET',
    path: '/v1/orders/{id}/events',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "The order's history, oldest first.",
    query: PageQuery,
    success: { status: 200, schema: page(OrderEvent) },
  },
  {
    operationId: 'transitionOrder',
    method: 'POST',
    path: '/v1/orders/{id}/transitions',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Move the order to another stage along a manual transition of its workflow.',
    body: TransitionRequest,
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'listOrderTransitions',
    method: 'GET',
    path: '/v1/orders/{id}/transitions',
    auth: 'tenant',
    scope: 'orders:read',
    summary:
      "The current stage's manual transitions, each with whether this key may take it now and, if not, the problem the move would answer.",
    success: { status: 200, schema: TransitionOptions },
  },
  {
    operationId: 'progressOrderItem',
    method: 'POST',
    path: '/v1/orders/{id}/items/{sku}/progress',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Record an item's progress (pending, ready, done; units ready) in any stage but a final one.",
    body: ItemProgressRequest,
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'progressOrderService',
    method: 'POST',
    path: '/v1/orders/{id}/services/{code}/progress',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Record a service's progress (pending, ready, done) in any stage but a final one.",
    body: ServiceProgressRequest,
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'placeOrderHold',
    method: 'POST',
    path: '/v1/orders/{id}/holds',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Hold the order: manual transitions without overridesHold, auto moves and timeouts wait.',
    body: PlaceHoldRequest,
    success: { status: 201, schema: Hold },
  },
  {
    operationId: 'releaseOrderHold',
    method: 'DELETE',
    path: '/v1/orders/{id}/holds/{holdId}',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Release a hold; releasing the last one lets the order move on by itself again.',
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'createOrderShipment',
    method: 'POST',
    path: '/v1/orders/{id}/shipments',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Record a (partial) shipment in a stage with shipping: true.',
    body: ShipmentRequest,
    success: { status: 201, schema: ShipmentRecord },
  },
  {
    operationId: 'listOrderShipments',
    method: 'GET',
    path: '/v1/orders/{id}/shipments',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "The order's shipments, newest first.",
    query: PageQuery,
    success: { status: 200, schema: page(ShipmentRecord) },
  },
  {
    operationId: 'requestOrderReturn',
    method: 'POST',
    path: '/v1/orders/{id}/returns',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Request a return of shipped units, in any stage including final ones.',
    body: RequestReturnRequest,
    success: { status: 201, schema: OrderReturn },
  },
  {
    operationId: 'listOrderReturns',
    method: 'GET',
    path: '/v1/orders/{id}/returns',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "The order's returns, newest first.",
    query: PageQuery,
    success: { status: 200, schema: page(OrderReturn) },
  },
  {
    operationId: 'receiveOrderReturn',
    method: 'POST',
    path: '/v1/orders/{id}/returns/{returnId}/receive',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'The goods are back; restock: true adds them to inventory in the same transaction.',
    body: ReceiveReturnRequest,
    success: { status: 200, schema: OrderReturn },
  },
  {
    operationId: 'refundOrderReturn',
    method: 'POST',
    path: '/v1/orders/{id}/returns/{returnId}/refund',
    auth: 'tenant',
    scope: 'orders:approve',
    summary: "Record a refund of at most the returned lines' value (no money moves).",
    body: RefundReturnRequest,
    success: { status: 200, schema: OrderReturn },
  },
  {
    operationId: 'rejectOrderReturn',
    method: 'POST',
    path: '/v1/orders/{id}/returns/{returnId}/reject',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Reject a requested return (before its goods are received).',
    body: RejectReturnRequest,
    success: { status: 200, schema: OrderReturn },
  },
  {
    operationId: 'retryOrderActions',
    method: 'POST',
    path: '/v1/orders/{id}/retry',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Re-run the current stage's failed actions in a new execution.",
    success: { status: 202, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'migrateOrder',
    method: 'POST',
    path: '/v1/orders/{id}/migrate',
    auth: 'tenant',
    scope: 'workflow:write',
    summary: 'Move the order to another workflow version that has its current stage.',
    body: MigrateRequest,
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'validateWorkflow',
    method: 'POST',
    path: '/v1/workflow/validate',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: 'Check a workflow document without publishing it.',
    body: WorkflowDocument,
    bodyValidation: 'domain',
    success: { status: 200, schema: WorkflowValidation },
  },
  {
    operationId: 'simulateWorkflow',
    method: 'POST',
    path: '/v1/workflow/simulate',
    auth: 'tenant',
    scope: 'workflow:read',
    summary:
      'Run a sample order through a workflow (a document, a version, or the active one) as a dry run: its path, actions, refusals and cost.',
    body: SimulateRequest,
    success: { status: 200, schema: SimulationResult },
  },
  {
    operationId: 'publishWorkflow',
    method: 'PUT',
    path: '/v1/workflow',
    auth: 'tenant',
    scope: 'workflow:write',
    summary:
      'Validate, compile and publish a workflow as the next version, active for new orders. 409 `workflow-versions-exhausted` when the engine holds as many versions as it allows and every one is still in use.',
    body: WorkflowDocument,
    bodyValidation: 'domain',
    success: { status: 201, schema: WorkflowPublished, headers: ['Location'] },
  },
  {
    operationId: 'getWorkflow',
    method: 'GET',
    path: '/v1/workflow',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: "The active version's document (its number in the Workflow-Version header).",
    success: { status: 200, schema: WorkflowDocument },
  },
  {
    operationId: 'listWorkflowVersions',
    method: 'GET',
    path: '/v1/workflow/versions',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: 'Published versions, newest first; version 0 is the built-in default.',
    query: PageQuery,
    success: { status: 200, schema: page(WorkflowVersionSummary) },
  },
  {
    operationId: 'getWorkflowVersion',
    method: 'GET',
    path: '/v1/workflow/versions/{version}',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: 'One version: its document and the state machine definition it compiled to.',
    success: { status: 200, schema: WorkflowVersionDetail },
  },
  {
    operationId: 'getWorkflowDiagram',
    method: 'GET',
    path: '/v1/workflow/diagram',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: 'The workflow drawn: SVG, or Mermaid text with Accept: text/vnd.mermaid.',
    query: WorkflowDiagramQuery,
    success: { status: 200, contentType: 'image/svg+xml' },
  },
  {
    operationId: 'drawWorkflowDiagram',
    method: 'POST',
    path: '/v1/workflow/diagram',
    auth: 'tenant',
    scope: 'workflow:read',
    summary: 'Draw a workflow document before publishing it (SVG); an invalid one is a 422 with every error.',
    query: DrawDiagramQuery,
    body: WorkflowDocument,
    bodyValidation: 'domain',
    success: { status: 200, contentType: 'image/svg+xml' },
  },
  {
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: 'Subscribe an endpoint to events; the signing secret is answered only here.',
    body: CreateWebhookRequest,
    sealResponse: true,
    success: { status: 201, schema: CreatedWebhook, headers: ['Location'] },
  },
  {
    operationId: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: 'Webhook subscriptions, newest first.',
    query: PageQuery,
    success: { status: 200, schema: page(Webhook) },
  },
  {
    operationId: 'deleteWebhook',
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: 'Unsubscribe; queued deliveries are dropped.',
    success: { status: 204 },
  },
  {
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: "A subscription's deliveries with their attempts, newest first.",
    query: PageQuery,
    success: { status: 200, schema: page(Delivery) },
  },
  {
    operationId: 'redeliverWebhookDelivery',
    method: 'POST',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: 'Send a delivery again, with a fresh retry schedule.',
    success: { status: 202, schema: Delivery },
  },
  {
    operationId: 'rotateWebhookSecret',
    method: 'POST',
    path: '/v1/webhooks/{id}/secret/rotate',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary:
      'A new signing secret (answered only here); for 24 hours deliveries are signed under the old one too.',
    sealResponse: true,
    success: { status: 200, schema: RotatedSecret },
  },
  {
    operationId: 'recoverWebhook',
    method: 'POST',
    path: '/v1/webhooks/{id}/recover',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary:
      'Send again every event since a time, those missed while disabled included; re-enables a disabled subscription.',
    body: RecoverRequest,
    success: { status: 202, schema: Recovery },
  },
  {
    operationId: 'setInventory',
    method: 'PUT',
    path: '/v1/inventory/{sku}',
    auth: 'tenant',
    scope: 'inventory:write',
    summary: 'Set the stock on hand of a SKU (never below what orders have reserved: 409).',
    body: SetInventoryRequest,
    success: { status: 200, schema: InventoryLevel },
  },
  {
    operationId: 'getInventory',
    method: 'GET',
    path: '/v1/inventory/{sku}',
    auth: 'tenant',
    scope: 'inventory:read',
    summary: 'Stock of a SKU: on hand, reserved by orders, available.',
    success: { status: 200, schema: InventoryLevel },
  },
  {
    operationId: 'listPurchaseOrders',
    method: 'GET',
    path: '/v1/orders/{id}/purchase-orders',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "Purchase orders the order's stage actions raised, newest stage entry first.",
    query: PageQuery,
    success: { status: 200, schema: page(PurchaseOrder) },
  },
  {
    operationId: 'listLaborTasks',
    method: 'GET',
    path: '/v1/orders/{id}/labor-tasks',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "Work tasks the order's stage actions scheduled, newest stage entry first.",
    query: PageQuery,
    success: { status: 200, schema: page(LaborTask) },
  },
  {
    operationId: 'proposeOrderChange',
    method: 'POST',
    path: '/v1/orders/{id}/changes',
    auth: 'tenant',
    scope: 'orders:write',
    summary:
      'Propose a change (merge-patch of items, services, shipping, notes, metadata) in any non-final stage; answers its preview.',
    body: ProposeChangeRequest,
    success: { status: 201, schema: ProposedChange, headers: ['Location'] },
  },
  {
    operationId: 'listOrderChanges',
    method: 'GET',
    path: '/v1/orders/{id}/changes',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "The order's proposed changes, newest first.",
    query: PageQuery,
    success: { status: 200, schema: page(ProposedChange) },
  },
  {
    operationId: 'applyOrderChange',
    method: 'POST',
    path: '/v1/orders/{id}/changes/{changeId}/apply',
    auth: 'tenant',
    scope: 'orders:approve',
    summary:
      'Apply a proposed change: 409 and nothing applied when the order moved on since it was proposed.',
    success: { status: 200, schema: Order, headers: ['ETag'] },
  },
  {
    operationId: 'rejectOrderChange',
    method: 'POST',
    path: '/v1/orders/{id}/changes/{changeId}/reject',
    auth: 'tenant',
    scope: 'orders:approve',
    summary: 'Reject a proposed change, with a note.',
    body: RejectChangeRequest,
    success: { status: 200, schema: ProposedChange },
  },
  {
    operationId: 'getActionSigningSecret',
    method: 'GET',
    path: '/v1/actions/signing-secret',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: "The secret that signs this tenant's http action requests, to verify them (Standard Webhooks).",
    success: { status: 200, schema: ActionSigningSecret },
  },
  // Attachment files (uploaded to object storage with a presigned URL) and email recipients.
  {
    operationId: 'createAttachment',
    method: 'POST',
    path: '/v1/orders/{id}/attachments',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Declare a file (name, kind, content type, size) and get a presigned URL to PUT it to.',
    body: CreateAttachmentRequest,
    success: { status: 201, schema: CreatedAttachment, headers: ['Location'] },
  },
  {
    operationId: 'listAttachments',
    method: 'GET',
    path: '/v1/orders/{id}/attachments',
    auth: 'tenant',
    scope: 'orders:read',
    summary: "The order's files; `available` once storage holds the object with the declared size and type.",
    success: { status: 200, schema: page(FileAttachment) },
  },
  {
    operationId: 'getAttachmentContent',
    method: 'GET',
    path: '/v1/orders/{id}/attachments/{attachmentId}/content',
    auth: 'tenant',
    scope: 'orders:read',
    summary: 'Redirect (303) to a short-lived download URL for an available file.',
    success: { status: 303, headers: ['Location'] },
  },
  {
    operationId: 'deleteAttachment',
    method: 'DELETE',
    path: '/v1/orders/{id}/attachments/{attachmentId}',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'Remove a file while the order is in an editable stage.',
    success: { status: 204 },
  },
  {
    operationId: 'setNotificationRecipients',
    method: 'PUT',
    path: '/v1/notifications/recipients',
    auth: 'tenant',
    scope: 'notifications:manage',
    summary: 'Replace the addresses each role reaches when an email action names "role:<role>".',
    body: NotificationRecipients,
    success: { status: 200, schema: NotificationRecipients },
  },
  {
    operationId: 'getNotificationRecipients',
    method: 'GET',
    path: '/v1/notifications/recipients',
    auth: 'tenant',
    scope: 'notifications:manage',
    summary: 'The addresses each role reaches when an email action names "role:<role>".',
    success: { status: 200, schema: NotificationRecipients },
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

/** The path parameters a route template names: `/v1/orders/{id}` → `{ id: string }`. */
export type PathParams<P extends string> = { readonly [Name in PathParamNames<P>]: string };

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
