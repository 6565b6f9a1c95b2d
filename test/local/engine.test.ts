import { describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { eventually } from '../support/eventually.js';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack({ taskTokenLength: 700 });

describe('the local engine, measuring', () => {
  it('makes task tokens as long as asked, so an order item is as large as on AWS, and still signals them', async () => {
    const { apiKey, tenantId } = await api.newTenant('Long tokens');
    const { body } = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    const orders = new DynamoOrderStore(
      createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
      TABLE_NAME,
    );
    const token = await eventually(
      'the preliminary wait',
      async () => (await orders.get(tenantId, body.id))?.taskToken,
    );
    expect(token).toHaveLength(700);
    expect(token.startsWith(`${body.id}:`)).toBe(true);
    expect(token.slice(body.id.length + 1)).not.toContain(':');

    const moved = await api.call(`/v1/orders/${body.id}/transitions`, {
      method: 'POST',
      key: apiKey,
      body: { to: 'submitted' },
    });
    expect(moved.status).toBe(200);
    const next = await eventually('the submitted wait', async () => {
      const record = await orders.get(tenantId, body.id);
      return record?.taskTokenStage === 'submitted' ? record.taskToken : undefined;
    });
    expect(next).toHaveLength(700);
    expect(next).not.toBe(token);
  });
});
