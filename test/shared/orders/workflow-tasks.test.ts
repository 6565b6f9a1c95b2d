import { describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../../local/stack.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { WorkflowTasks } from '../../../shared/orders/workflow-tasks.js';
import { builtInDefaultWorkflows } from '../../../shared/workflow/default-workflow.js';
import { runnerFor } from '../../support/actions.js';
import { useStack } from '../../support/stack.js';

const api = useStack();

/** The task function's domain over the stack's DynamoDB Local, with a clock the test moves. */
function tasksAt(now: { value: Date }) {
  const client = createDocumentClient({
    tableName: TABLE_NAME,
    endpoint: api.stack.dynamo.endpoint,
    region: 'local',
  });
  const store = new DynamoOrderStore(client, TABLE_NAME);
  const tasks = new WorkflowTasks(
    store,
    new DynamoWorkflowStore(client, TABLE_NAME, builtInDefaultWorkflows),
    runnerFor(api.stack).runner,
    () => now.value,
  );
  return { tasks, store };
}

async function storedOrder(store: DynamoOrderStore, at: Date) {
  const order = newOrder({
    request: CreateOrderRequest.parse({ currency: 'GBP', items: [{ sku: 'A', quantity: 1 }] }),
    stage: 'preliminary',
    workflowVersion: 0,
    now: at,
  });
  await store.create('tasks-tenant', order, [{ type: 'order.created', actor: { type: 'system' }, data: {} }]);
  return order;
}

describe('the workflow task function', () => {
  const entered = new Date('2026-11-26T10:00:00.000Z');

  it('does not move an order on a stage timeout before the timeout is due', async () => {
    const now = { value: entered };
    const { tasks, store } = tasksAt(now);
    const order = await storedOrder(store, entered);
    const timeout = {
      kind: 'move' as const,
      tenantId: 'tasks-tenant',
      orderId: order.id,
      from: 'preliminary',
      to: 'cancelled',
      entry: 1,
      cause: 'timeout' as const,
      dueAfterSeconds: 30 * 24 * 3600,
    };
    now.value = new Date(entered.getTime() + 24 * 24 * 3600 * 1000);
    await expect(tasks.handle(timeout)).rejects.toMatchObject({ name: 'Orderflow.NotYetDue' });
    expect((await store.get('tasks-tenant', order.id))?.order.stage).toBe('preliminary');

    now.value = new Date(entered.getTime() + 30 * 24 * 3600 * 1000);
    const state = await tasks.handle(timeout);
    expect(state).toMatchObject({ stage: 'cancelled', entry: 2 });
    const moved = await store.get('tasks-tenant', order.id);
    expect(moved?.order.stage).toBe('cancelled');
    const { events } = await store.listEvents('tasks-tenant', order.id, 10);
    expect(events.at(-1)).toMatchObject({ type: 'order.stage_changed', actor: { type: 'system' } });
    expect(events.at(-1)?.data).toMatchObject({ from: 'preliminary', to: 'cancelled', cause: 'timeout' });
  });

  it('refuses to move an order that is no longer where the execution thinks', async () => {
    const now = { value: entered };
    const { tasks, store } = tasksAt(now);
    const order = await storedOrder(store, entered);
    const stale = {
      kind: 'move' as const,
      tenantId: 'tasks-tenant',
      orderId: order.id,
      from: 'submitted',
      to: 'confirmed',
      entry: 1,
      cause: 'auto' as const,
    };
    await expect(tasks.handle(stale)).rejects.toMatchObject({ name: 'Orderflow.StageConflict' });
  });

  it('runs each action once per stage entry, however often the task is retried', async () => {
    const now = { value: entered };
    const { tasks, store } = tasksAt(now);
    const order = await storedOrder(store, entered);
    const run = {
      kind: 'runActions' as const,
      tenantId: 'tasks-tenant',
      orderId: order.id,
      stage: 'preliminary',
      entry: 1,
      actions: [{ id: 'announce', type: 'notify' as const, params: { event: 'order.announced' } }],
    };
    await tasks.handle(run);
    await tasks.handle(run);
    const { events } = await store.listEvents('tasks-tenant', order.id, 10);
    expect(events.filter((event) => event.type === 'order.announced')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'order.action_succeeded')).toHaveLength(1);
  });
});
