import { beforeAll, describe, expect, it } from 'vitest';
import { resumeOrders } from '../../local/resume.js';
import { TABLE_NAME } from '../../local/stack.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { newOrder } from '../../shared/orders/order.js';
import { CreateOrderRequest } from '../../shared/orders/schema.js';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();
let tenant: { apiKey: string; tenantId: string };
let store: DynamoOrderStore;

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const move = (id: string, to: string) =>
  call(`/v1/orders/${id}/transitions`, { method: 'POST', body: { to } });
const history = async (id: string) =>
  (await call(`/v1/orders/${id}/events?limit=100`)).body.items as { type: string; data: any }[];

/** An order as the service stored it before the built-in default had revisions: `workflow: { version: 0 }`. */
async function storedBeforeRevisions(stage: string): Promise<string> {
  const order = newOrder({
    request: CreateOrderRequest.parse({
      currency: 'GBP',
      customer: { name: 'Ada', email: 'ada@example.com' },
      items: [{ sku: 'LEGACY-A', quantity: 2, unitPrice: 100 }],
    }),
    stage,
    workflowVersion: 0,
    now: new Date(),
  });
  const { holds: _holds, ...asStoredThen } = order;
  await store.create(tenant.tenantId, asStoredThen, [
    { type: 'order.created', actor: { type: 'system' }, data: { order: asStoredThen } },
  ]);
  return order.id;
}

beforeAll(async () => {
  tenant = await api.newTenant('Before revisions');
  store = new DynamoOrderStore(
    createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
    TABLE_NAME,
  );
  await call('/v1/inventory/LEGACY-A', { method: 'PUT', body: { onHand: 5 } });
});

describe('orders pinned to the first built-in default', () => {
  it('keep its behaviour until migrated: no hold override, no shipments, release on cancel', async () => {
    const legacy = await storedBeforeRevisions('confirmed');
    const current = (
      await call('/v1/orders', {
        method: 'POST',
        body: { currency: 'GBP', items: [{ sku: 'X', quantity: 1 }] },
      })
    ).body;
    expect(current.workflow).toEqual({ version: 0, revision: 2 });
    await resumeOrders(store, api.stack.deps.workflows, api.stack.engine);
    await eventually('the confirmed actions of the stored order', async () =>
      (await get(legacy)).actions.state === 'succeeded' ? true : undefined,
    );
    expect((await get(legacy)).workflow).toEqual({ version: 0 });
    // The first default's cancel does not override holds.
    const placed = (await call(`/v1/orders/${legacy}/holds`, { method: 'POST', body: { reason: 'other' } }))
      .body;
    expect((await move(legacy, 'cancelled')).status).toBe(409);
    await call(`/v1/orders/${legacy}/holds/${placed.id}`, { method: 'DELETE' });
    expect((await move(legacy, 'cancelled')).status).toBe(200);
    await eventually('the cancelled actions', async () =>
      (await get(legacy)).actions.state === 'succeeded' ? true : undefined,
    );
    const ran = (await history(legacy))
      .filter((event) => event.type === 'order.action_succeeded')
      .map((event) => event.data.action.type);
    expect(ran).toEqual(['inventory.reserve', 'purchase_order.create', 'inventory.release']);
  });

  it('move to the current default when migrated to version 0, and then take shipments', async () => {
    const legacy = await storedBeforeRevisions('completed');
    await resumeOrders(store, api.stack.deps.workflows, api.stack.engine);
    const refused = await call(`/v1/orders/${legacy}/shipments`, { method: 'POST', body: {} });
    expect(refused.status).toBe(409);
    const migrated = await call(`/v1/orders/${legacy}/migrate`, { method: 'POST', body: { toVersion: 0 } });
    expect(migrated.status).toBe(200);
    expect(migrated.body.workflow).toEqual({ version: 0, revision: 2 });
    expect((await call(`/v1/orders/${legacy}/shipments`, { method: 'POST', body: {} })).status).toBe(201);
    await eventually('the automatic move to shipped', async () =>
      (await get(legacy)).stage === 'shipped' ? true : undefined,
    );
  });
});
