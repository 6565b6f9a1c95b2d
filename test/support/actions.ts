import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_TENANT_ID, type RunningStack, TABLE_NAME } from '../../local/stack.js';
import { BuiltInActionRunner } from '../../shared/actions/runner.js';
import { dynamoActionStores } from '../../shared/adapters/dynamodb/action-stores.js';
import type { ActionContext } from '../../shared/orders/actions.js';
import { newOrder } from '../../shared/orders/order.js';
import { CreateOrderRequest, type Order } from '../../shared/orders/schema.js';
import type { TaskAction } from '../../shared/workflow/task-payloads.js';

/**
 * A runner over the stack's own DynamoDB Local, signing with the same secrets its API hands out.
 * Its client waits longer than the API's fail-fast one: DynamoDB Local runs transactions one at
 * a time, so under a 50-way race a request can queue for seconds on a small machine.
 */
export function runnerFor(stack: RunningStack, options: { allowLocal?: boolean } = {}) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: { requestTimeout: 20_000 },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const stores = dynamoActionStores(client, TABLE_NAME);
  const runner = new BuiltInActionRunner({
    ...stores,
    signing: stack.deps.actionSigning,
    allowLocal: options.allowLocal ?? false,
  });
  return { runner, stores };
}

/** A SKU no other test uses, so stock levels do not leak between tests. */
export const freshSku = (name = 'SKU') => `${name}-${randomUUID().slice(0, 8)}`;

/** An order as the runner receives it; the runner never needs it stored. */
export function orderWith(items: CreateOrderRequest['items'], now = new Date()): Order {
  return newOrder({
    request: CreateOrderRequest.parse({ currency: 'GBP', items }),
    stage: 'confirmed',
    workflowVersion: 0,
    now,
  });
}

export const NOW = new Date('2026-11-26T10:00:00.000Z');

export function contextFor(
  order: Order,
  action: Omit<TaskAction, 'params'> & { params?: Record<string, unknown> },
  overrides: Partial<ActionContext> = {},
): ActionContext {
  return {
    tenantId: DEMO_TENANT_ID,
    order,
    stage: 'confirmed',
    entry: 1,
    action: { params: {}, ...action },
    now: NOW,
    ...overrides,
  };
}
