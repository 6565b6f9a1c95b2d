import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { runnerFor } from '../support/actions.js';
import { eventually } from '../support/eventually.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { useStack } from '../support/stack.js';

const api = useStack({ allowLocalWebhooks: true });
let tenant: { apiKey: string; tenantId: string };
let erp: Receiver;

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const move = (id: string, to: string) =>
  call(`/v1/orders/${id}/transitions`, { method: 'POST', body: { to } });
const stock = async (sku: string) => (await call(`/v1/inventory/${sku}`)).body;

/** Confirming reserves stock, raises purchase orders, schedules labor and books the order in an ERP. */
const workflow = () => ({
  format: 'orderflow.workflow/v1',
  name: 'Undo what was done',
  initialStage: 'draft',
  stages: [
    { id: 'draft', editable: true, transitions: [{ to: 'confirmed' }, { to: 'cancelled' }] },
    {
      id: 'confirmed',
      onEnter: [
        { type: 'inventory.reserve', id: 'reserve' },
        { type: 'purchase_order.create', id: 'raise' },
        { type: 'labor.schedule', id: 'print', team: 'press', hoursPerUnit: 0.5 },
        { type: 'http', id: 'erp', url: `${erp.url}/book`, undo: { url: `${erp.url}/unbook` } },
      ],
      transitions: [{ to: 'done' }, { to: 'cancelled', overridesHold: true }],
    },
    { id: 'done', final: true },
    { id: 'cancelled', final: true, onEnter: [{ type: 'compensate', id: 'undo' }] },
  ],
});

beforeAll(async () => {
  erp = await startReceiver();
  tenant = await api.newTenant('Compensation');
  erp.secret = (await call('/v1/actions/signing-secret')).body.secret;
  expect((await call('/v1/workflow', { method: 'PUT', body: workflow() })).status).toBe(201);
  await call('/v1/inventory/COMP-A', { method: 'PUT', body: { onHand: 10 } });
  await call('/v1/inventory/COMP-B', { method: 'PUT', body: { onHand: 0, supplier: 'paperco' } });
  await call('/v1/inventory/COMP-C', { method: 'PUT', body: { onHand: 0, supplier: 'inkco' } });
});
afterAll(() => erp.close());

describe('cancelling a confirmed order under a workflow whose cancelled stage compensates', () => {
  it('gives the stock back, cancels both purchase orders and the task, calls the undo, and a re-run changes nothing', async () => {
    const created = await call('/v1/orders', {
      method: 'POST',
      body: {
        currency: 'GBP',
        items: [
          { sku: 'COMP-A', quantity: 4, unitPrice: 100 },
          { sku: 'COMP-B', quantity: 2, unitPrice: 100 },
          { sku: 'COMP-C', quantity: 3, unitPrice: 100 },
        ],
      },
    });
    const id = created.body.id as string;
    expect((await move(id, 'confirmed')).status).toBe(200);
    await eventually('the confirmed actions', async () =>
      (await get(id)).actions.state === 'succeeded' ? true : undefined,
    );
    expect(await stock('COMP-A')).toMatchObject({ reserved: 4, available: 6 });
    const raised = (await call(`/v1/orders/${id}/purchase-orders`)).body.items;
    expect(raised.map((po: { supplier: string; status: string }) => [po.supplier, po.status]).sort()).toEqual(
      [
        ['inkco', 'open'],
        ['paperco', 'open'],
      ],
    );
    expect((await get(id)).pendingUndo).toMatchObject([{ actionId: 'erp', url: `${erp.url}/unbook` }]);

    expect((await move(id, 'cancelled')).status).toBe(200);
    await eventually('the compensation', async () =>
      (await get(id)).actions.state === 'succeeded' ? true : undefined,
    );
    expect(await stock('COMP-A')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const purchaseOrders = (await call(`/v1/orders/${id}/purchase-orders`)).body.items;
    expect(purchaseOrders.map((po: { status: string }) => po.status)).toEqual(['cancelled', 'cancelled']);
    const tasks = (await call(`/v1/orders/${id}/labor-tasks`)).body.items;
    expect(tasks.map((task: { status: string }) => task.status)).toEqual(['cancelled']);
    const undo = erp.received.find((request) => request.body.type === 'order.action_undo');
    expect(undo?.verified).toBe(true);
    expect(undo?.body.data).toMatchObject({ stage: 'confirmed', action: { id: 'erp', type: 'http' } });
    const history = (await call(`/v1/orders/${id}/events?limit=100`)).body.items as {
      type: string;
      data: any;
    }[];
    expect(history.filter((event) => event.type === 'purchase_order.cancelled')).toHaveLength(2);
    const order = await get(id);
    expect(order.pendingUndo).toEqual([]);

    // The same stage entry's compensate once more, as a retry would run it: nothing left to undo.
    const requestsBefore = erp.received.length;
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const store = new DynamoOrderStore(
      createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
      TABLE_NAME,
    );
    const stored = await store.get(tenant.tenantId, id);
    const again = await runner.run({
      tenantId: tenant.tenantId,
      order: stored?.order ?? order,
      stage: 'cancelled',
      entry: stored?.entry ?? 3,
      action: { id: 'undo', type: 'compensate', params: {} },
      now: new Date(),
    });
    expect(again.result).toEqual({
      undone: [],
      cancelledLaborTasks: [],
      cancelledPurchaseOrders: [],
      released: [],
    });
    expect(again.events).toEqual([]);
    expect(erp.received.length).toBe(requestsBefore);
    expect(await stock('COMP-A')).toMatchObject({ onHand: 10, reserved: 0 });
  });
});
