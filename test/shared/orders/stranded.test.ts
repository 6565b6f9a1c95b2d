import { describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../../local/stack.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import { resumeIfStranded } from '../../../shared/orders/stranded.js';
import { builtInDefaultWorkflows } from '../../../shared/workflow/default-workflow.js';
import { eventually } from '../../support/eventually.js';
import { sampleOrder, useStack } from '../../support/stack.js';

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
