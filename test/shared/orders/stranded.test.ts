import { describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../../local/stack.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import { MemoryOrderStore } from '../../../shared/adapters/memory/order-store.js';
import { MemoryWorkflowEngine } from '../../../shared/adapters/memory/workflow-engine.js';
import { MemoryWorkflowStore } from '../../../shared/adapters/memory/workflow-store.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { OrderService } from '../../../shared/orders/service.js';
import { resumeIfStranded, startIfOwed, sweepOwedStarts } from '../../../shared/orders/stranded.js';
import { builtInDefaultWorkflows, defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import type { Workflow } from '../../../shared/workflow/schema.js';
import { eventually } from '../../support/eventually.js';
import { sampleOrder, useStack } from '../../support/stack.js';
import { storeUnstartedOrder } from '../../support/unstarted-order.js';

const api = useStack();

function deps() {
  const client = createDocumentClient({
    tableName: TABLE_NAME,
    endpoint: api.stack.dynamo.endpoint,
    region: 'local',
  });
  return {
    store: new DynamoOrderStore(client, TABLE_NAME),
    workflows: new DynamoWorkflowStore(client, TABLE_NAME, builtInDefaultWorkflows),
    engine: api.stack.engine,
  };
}

async function waitingOrder() {
  const { body } = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
  const { store } = deps();
  const tenantId = 'demo';
  await eventually('the preliminary wait', async () => (await store.get(tenantId, body.id))?.taskToken);
  return { tenantId, orderId: body.id as string };
}

describe('resuming stranded orders', () => {
  it('gives an order whose execution died a new one, which parks at its stage and moves on when asked', async () => {
    const { tenantId, orderId } = await waitingOrder();
    // The execution dies (as one whose store stayed unavailable would); the order stays put.
    await api.stack.engine.stop({ tenantId, orderId, attempt: 0 });
    expect(api.stack.engine.isRunning(tenantId, orderId)).toBe(false);

    expect(await resumeIfStranded(deps(), tenantId, orderId)).toBe('resumed');
    const { store } = deps();
    const record = await eventually('the new wait', async () => {
      const found = await store.get(tenantId, orderId);
      return found?.executionArn?.endsWith(`:${orderId}-1`) ? found : undefined;
    });
    expect(record.attempt).toBe(1);
    expect(record.order.stage).toBe('preliminary');
    const moved = await api.call(`/v1/orders/${orderId}/transitions`, {
      method: 'POST',
      body: { to: 'submitted' },
    });
    expect(moved.status).toBe(200);
    await eventually(
      'the submitted wait',
      async () => (await store.get(tenantId, orderId))?.taskTokenStage === 'submitted' || undefined,
    );
  });

  it('gives an order a new execution when a transition’s signal meets the dead token of one that ended unseen', async () => {
    const { tenantId, orderId } = await waitingOrder();
    const { store } = deps();
    await eventually(
      'the wait to hold its token',
      async () => api.stack.engine.isWaiting(tenantId, orderId) || undefined,
    );
    // Ended without the order knowing (stopped by hand, or past its year): its token is dead.
    await api.stack.engine.stop({ tenantId, orderId, attempt: 0 });
    const moved = await api.call(`/v1/orders/${orderId}/transitions`, {
      method: 'POST',
      body: { to: 'submitted' },
    });
    expect(moved.status).toBe(200);
    const resumed = await eventually('the new execution’s wait in the new stage', async () => {
      const record = await store.get(tenantId, orderId);
      return record?.taskTokenStage === 'submitted' ? record : undefined;
    });
    expect(resumed).toMatchObject({ attempt: 1, executionArn: `local:${orderId}-1` });
    const { body } = await api.call(`/v1/orders/${orderId}/events`);
    // The history runs on without a gap across the two executions.
    const history = body.items as { type: string; sequence: number }[];
    expect(history.map((event) => event.sequence)).toEqual(history.map((_, index) => index + 1));
    expect(history.map((event) => event.type)).toContain('order.stage_changed');
  });

  it('leaves an order with a live execution alone, and one that is gone', async () => {
    const { tenantId, orderId } = await waitingOrder();
    expect(await resumeIfStranded(deps(), tenantId, orderId)).toBe('live');
    expect((await deps().store.get(tenantId, orderId))?.attempt).toBe(0);
    expect(await resumeIfStranded(deps(), tenantId, 'ord_missing')).toBe('gone');
  });

  it('leaves an order in a final stage alone', async () => {
    const { tenantId, orderId } = await waitingOrder();
    const cancelled = await api.call(`/v1/orders/${orderId}/transitions`, {
      method: 'POST',
      body: { to: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    await eventually(
      'the execution to end',
      async () => !api.stack.engine.isRunning(tenantId, orderId) || undefined,
    );
    expect(await resumeIfStranded(deps(), tenantId, orderId)).toBe('final');
  });
});

describe('starting executions that were owed but never started', () => {
  const afterTheGrace = () => new Date(Date.now() + 60 * 60_000);

  it('starts an order whose write committed but whose process died before StartExecution, and it moves on', async () => {
    const { store, workflows } = deps();
    const order = await storeUnstartedOrder(store, workflows, 'demo');
    expect(api.stack.engine.isRunning('demo', order.id)).toBe(false);
    expect(await sweepOwedStarts(deps(), new Date())).toMatchObject({ started: 0 });

    const swept = await sweepOwedStarts(deps(), afterTheGrace());
    expect(swept).toMatchObject({ started: 1, failed: 0 });
    const parked = await eventually('the preliminary wait', async () => {
      const record = await store.get('demo', order.id);
      return record?.taskToken ? record : undefined;
    });
    expect(parked).toMatchObject({ attempt: 0, executionArn: `local:${order.id}` });
    expect(parked.startOwedSince).toBeUndefined();
    const moved = await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      body: { to: 'submitted' },
    });
    expect(moved.status).toBe(200);
    expect(await startIfOwed(deps(), 'demo', order.id)).toBe('not-owed');
  });

  it('answers a new order when StartExecution fails, keeps its start owed, and the sweep makes it once', async () => {
    const store = new MemoryOrderStore();
    const workflows = new MemoryWorkflowStore<Workflow>(defaultWorkflow);
    const engine = new MemoryWorkflowEngine();
    const startErrors: unknown[] = [];
    const orders = new OrderService(store, workflows, engine, undefined, undefined, undefined, (error) =>
      startErrors.push(error),
    );
    engine.failStarts = true;
    const principal = { tenantId: 'shop', keyId: 'key_1', role: 'admin', scopes: ['*'] } as const;
    const order = await orders.create(principal, CreateOrderRequest.parse(sampleOrder), () => undefined);
    expect(startErrors).toHaveLength(1);
    expect(engine.started.size).toBe(0);
    expect((await store.get('shop', order.id))?.startOwedSince).toEqual(expect.any(String));

    // Still failing: the start stays owed for the next sweep.
    expect(await sweepOwedStarts({ store, workflows, engine }, afterTheGrace())).toEqual({
      owed: 1,
      started: 0,
      failed: 1,
    });
    engine.failStarts = false;
    expect(await sweepOwedStarts({ store, workflows, engine }, afterTheGrace())).toEqual({
      owed: 1,
      started: 1,
      failed: 0,
    });
    expect([...engine.started.values()]).toEqual([
      expect.objectContaining({
        orderId: order.id,
        attempt: 0,
        state: expect.objectContaining({ entry: 1 }),
      }),
    ]);
    expect(await store.get('shop', order.id)).toMatchObject({ executionArn: `memory:shop/${order.id}` });
    expect(await sweepOwedStarts({ store, workflows, engine }, afterTheGrace())).toEqual({
      owed: 0,
      started: 0,
      failed: 0,
    });
  });
});
