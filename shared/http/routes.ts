import * as z from 'zod';
import {
  CreateTenantRequest,
  CreateTenantResponse,
  IssueKeyRequest,
  IssueKeyResponse,
} from '../auth/schema.js';
import {
  CreateOrderRequest,
  ListOrdersQuery,
  Order,
  OrderEvent,
  PageQuery,
  PatchOrderRequest,
  page,
} from '../orders/schema.js';
import { CreatedWebhook, CreateWebhookRequest, Delivery, Webhook } from '../webhooks/schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = 'tenant' | 'admin' | 'none';

export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  /** API Gateway route syntax: `/v1/orders/{id}`. */
  path: string;
  auth: RouteAuth;
  summary: string;
  body?: z.ZodType;
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
    success: { status: 201, schema: CreateTenantResponse },
  },
  {
    operationId: 'issueKey',
    method: 'POST',
    path: '/v1/admin/tenants/{id}/keys',
    auth: 'admin',
    summary: 'Issue another API key for a tenant (shown once).',
    body: IssueKeyRequest,
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
    summary: "Create an order in the initial stage of the tenant's active workflow.",
    body: CreateOrderRequest,
    success: { status: 201, schema: Order },
  },
  {
    operationId: 'listOrders',
    method: 'GET',
    path: '/v1/orders',
    auth: 'tenant',
    summary: 'List orders, newest first.',
    query: ListOrdersQuery,
    success: { status: 200, schema: page(Order) },
  },
  {
    operationId: 'getOrder',
    method: 'GET',
    path: '/v1/orders/{id}',
    auth: 'tenant',
    summary: 'One order; its version is also the ETag.',
    success: { status: 200, schema: Order },
  },
  {
    operationId: 'patchOrder',
    method: 'PATCH',
    path: '/v1/orders/{id}',
    auth: 'tenant',
    summary: 'JSON merge-patch of the order details while the stage is editable.',
    body: PatchOrderRequest,
    success: { status: 200, schema: Order },
  },
  {
    operationId: 'listOrderEvents',
    method: 'GET',
    path: '/v1/orders/{id}/events',
    auth: 'tenant',
    summary: "The order's history, oldest first.",
    query: PageQuery,
    success: { status: 200, schema: page(OrderEvent) },
  },
  {
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    auth: 'tenant',
    summary: 'Subscribe an endpoint to events; the signing secret is answered only here.',
    body: CreateWebhookRequest,
    success: { status: 201, schema: CreatedWebhook },
  },
  {
    operationId: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    auth: 'tenant',
    summary: 'Webhook subscriptions, newest first.',
    query: PageQuery,
    success: { status: 200, schema: page(Webhook) },
  },
  {
    operationId: 'deleteWebhook',
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'tenant',
    summary: 'Unsubscribe; queued deliveries are dropped.',
    success: { status: 204 },
  },
  {
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    auth: 'tenant',
    summary: "A subscription's deliveries with their attempts, newest first.",
    query: PageQuery,
    success: { status: 200, schema: page(Delivery) },
  },
  {
    operationId: 'redeliverWebhookDelivery',
    method: 'POST',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    auth: 'tenant',
    summary: 'Send a delivery again, with a fresh retry schedule.',
    success: { status: 202, schema: Delivery },
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
