import * as z from 'zod';
import {
  ActionSigningSecret,
  InventoryLevel,
  LaborTask,
  PurchaseOrder,
  SetInventoryRequest,
} from '../actions/schema.js';
import {
  CreateTenantRequest,
  CreateTenantResponse,
  IssueKeyRequest,
  IssueKeyResponse,
} from '../auth/schema.js';
import type { Scope } from '../auth/scopes.js';
import {
  CreateOrderRequest,
  Hold,
  ItemProgressRequest,
  ListOrdersQuery,
  MigrateRequest,
  Order,
  OrderEvent,
  PageQuery,
  PatchOrderRequest,
  PlaceHoldRequest,
  page,
  ServiceProgressRequest,
  ShipmentRecord,
  ShipmentRequest,
  TransitionRequest,
} from '../orders/schema.js';
import { CreatedWebhook, CreateWebhookRequest, Delivery, Webhook } from '../webhooks/schema.js';
import {
  WorkflowDiagramQuery,
  WorkflowDocument,
  WorkflowPublished,
  WorkflowValidation,
  WorkflowVersionDetail,
  WorkflowVersionSummary,
} from '../workflow/api-schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = 'tenant' | 'admin' | 'none';

export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  /** API Gateway route syntax: `/v1/orders/{id}`. */
  path: string;
  auth: RouteAuth;
  /** The scope a tenant key needs to call the route (api.md, "Permissions"). */
  scope?: Scope;
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
  success: { status: number; schema?: z.ZodType; contentType?: string };
}

const Health = z.object({ status: z.literal('ok') });

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
    summary: 'Liveness check.',
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
    operationId: 'createTenant',
    method: 'POST',
    path: '/v1/admin/tenants',
    auth: 'admin',
    summary: 'Create a tenant and its first API key (shown once).',
    body: CreateTenantRequest,
    sealResponse: true,
    success: { status: 201, schema: CreateTenantResponse },
  },
  {
    operationId: 'issueKey',
    method: 'POST',
    path: '/v1/admin/tenants/{id}/keys',
    auth: 'admin',
    summary: 'Issue another API key for a tenant (shown once).',
    body: IssueKeyRequest,
    sealResponse: true,
    success: { status: 201, schema: IssueKeyResponse },
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
    operationId: 'createOrder',
    method: 'POST',
    path: '/v1/orders',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Create an order in the initial stage of the tenant's active workflow.",
    body: CreateOrderRequest,
    success: { status: 201, schema: Order },
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
    success: { status: 200, schema: Order },
  },
  {
    operationId: 'patchOrder',
    method: 'PATCH',
    path: '/v1/orders/{id}',
    auth: 'tenant',
    scope: 'orders:write',
    summary: 'JSON merge-patch of the order details while the stage is editable.',
    body: PatchOrderRequest,
    success: { status: 200, schema: Order },
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
    success: { status: 200, schema: Order },
  },
  {
    operationId: 'progressOrderItem',
    method: 'POST',
    path: '/v1/orders/{id}/items/{sku}/progress',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Record an item's progress (pending, ready, done; units ready) in any stage but a final one.",
    body: ItemProgressRequest,
    success: { status: 200, schema: Order },
  },
  {
    operationId: 'progressOrderService',
    method: 'POST',
    path: '/v1/orders/{id}/services/{code}/progress',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Record a service's progress (pending, ready, done) in any stage but a final one.",
    body: ServiceProgressRequest,
    success: { status: 200, schema: Order },
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
    success: { status: 200, schema: Order },
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
    operationId: 'retryOrderActions',
    method: 'POST',
    path: '/v1/orders/{id}/retry',
    auth: 'tenant',
    scope: 'orders:write',
    summary: "Re-run the current stage's failed actions in a new execution.",
    success: { status: 202, schema: Order },
  },
  {
    operationId: 'migrateOrder',
    method: 'POST',
    path: '/v1/orders/{id}/migrate',
    auth: 'tenant',
    scope: 'workflow:write',
    summary: 'Move the order to another workflow version that has its current stage.',
    body: MigrateRequest,
    success: { status: 200, schema: Order },
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
    operationId: 'publishWorkflow',
    method: 'PUT',
    path: '/v1/workflow',
    auth: 'tenant',
    scope: 'workflow:write',
    summary: 'Validate, compile and publish a workflow as the next version, active for new orders.',
    body: WorkflowDocument,
    bodyValidation: 'domain',
    success: { status: 201, schema: WorkflowPublished },
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
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: 'Subscribe an endpoint to events; the signing secret is answered only here.',
    body: CreateWebhookRequest,
    sealResponse: true,
    success: { status: 201, schema: CreatedWebhook },
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
    operationId: 'getActionSigningSecret',
    method: 'GET',
    path: '/v1/actions/signing-secret',
    auth: 'tenant',
    scope: 'webhooks:manage',
    summary: "The secret that signs this tenant's http action requests, to verify them (Standard Webhooks).",
    success: { status: 200, schema: ActionSigningSecret },
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
