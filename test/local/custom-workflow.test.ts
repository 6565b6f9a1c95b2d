import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack({ allowLocalWebhooks: true });
let erp: Receiver;
let erpStatus = 500;
let tenant: { apiKey: string; tenantId: string };
let reviewerKey: string;

const once = { maxAttempts: 1 };
const workflow = () => ({
  format: 'orderflow.workflow/v1',
  name: 'Custom',
  initialStage: 'draft',
  stages: [
    {
      id: 'draft',
      editable: true,
      transitions: [
        { to: 'approved', auto: true, when: { field: 'totals.grand', op: 'lt', value: 5000 } },
        { to: 'review' },
        { to: 'erp_continue' },
        { to: 'erp_move' },
        { to: 'erp_fail' },
      ],
    },
    { id: 'review', transitions: [{ to: 'approved', roles: ['reviewer'] }, { to: 'rejected' }] },
    {
      id: 'approved',
      onEnter: [{ type: 'notify', id: 'announce', event: 'order.approved' }],
      transitions: [{ to: 'done' }, { to: 'expired' }],
      timeout: { after: 'PT2S', to: 'expired' },
    },
    {
      id: 'erp_continue',
      onEnter: [{ type: 'http', id: 'erp', url: erp.url, retry: once, onError: 'continue' }],
      transitions: [{ to: 'done' }],
    },
    {
      id: 'erp_move',
      onEnter: [
        { type: 'http', id: 'erp', url: erp.url, retry: once, onError: { transitionTo: 'rejected' } },
      ],
      transitions: [{ to: 'done' }, { to: 'rejected' }],
    },
    {
      id: 'erp_fail',
      onEnter: [{ type: 'http', id: 'erp', url: erp.url, retry: once, onError: 'fail' }],
      transitions: [{ to: 'done' }],
    },
    { id: 'done', final: true },
    { id: 'expired', final: true },
    { id: 'rejected', final: true },
  ],
});

beforeAll(async () => {
  erp = await startReceiver((_request, response) => {
    response.writeHead(erpStatus, { 'content-type': 'application/json' }).end('{"erpId":"E-1"}');
  });
  tenant = await api.newTenant('Custom workflow');
  const published = await api.call('/v1/workflow', { method: 'PUT', key: tenant.apiKey, body: workflow() });
  expect(published.status).toBe(201);
  reviewerKey = (
    await api.call(`/v1/admin/tenants/${tenant.tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: { role: 'reviewer' },
    })
  ).body.apiKey;
});
afterAll(() => erp.close());

const create = async (body: unknown = sampleOrder) =>
  (await api.call('/v1/orders', { method: 'POST', key: tenant.apiKey, body })).body;
const get = async (id: string) => (await api.call(`/v1/orders/${id}`, { key: tenant.apiKey })).body;
const events = async (id: string) =>
  (await api.call(`/v1/orders/${id}/events?limit=100`, { key: tenant.apiKey })).body.items as {
    type: string;
    actor: { type: string };
    data: Record<string, any>;
  }[];
const stageIs = (id: string, stage: string) =>
  eventually(`order ${id} in ${stage}`, async () => ((await get(id)).stage === stage ? true : undefined));

describe('a custom workflow on the local stack', () => {
  it('takes an automatic route when its condition holds, then times out of a stage', async () => {
    const order = await create({ currency: 'GBP', items: [{ sku: 'A', quantity: 1, unitPrice: 100 }] });
    await stageIs(order.id, 'approved');
    await stageIs(order.id, 'expired');
    const changes = (await events(order.id)).filter((e) => e.type === 'order.stage_changed');
    expect(changes.map((e) => [e.data.from, e.data.to, e.data.cause, e.actor.type])).toEqual([
      ['draft', 'approved', 'auto', 'system'],
      ['approved', 'expired', 'timeout', 'system'],
    ]);
    expect((await events(order.id)).some((e) => e.type === 'order.approved')).toBe(true);
  });

  it('waits for a person when the automatic route does not apply, and gates the move by role', async () => {
    const order = await create();
    expect(order.totals.grand).toBeGreaterThanOrEqual(5000);
    const move = (to: string, key: string) =>
      api.call(`/v1/orders/${order.id}/transitions`, { method: 'POST', key, body: { to } });
    expect((await move('review', tenant.apiKey)).status).toBe(200);
    const refused = await move('approved', tenant.apiKey);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('reviewer');
    expect((await move('approved', reviewerKey)).status).toBe(200);
    const notAllowed = await move('review', tenant.apiKey);
    expect(notAllowed.status).toBe(409);
    expect(notAllowed.body.allowed).toEqual(['done', 'expired']);
    expect((await move('done', tenant.apiKey)).status).toBe(200);
  });

  it('records a failed action and goes on when its onError is continue', async () => {
    erpStatus = 500;
    const order = await create();
    await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'erp_continue' },
    });
    const failed = await eventually('the failure', async () => {
      const current = await get(order.id);
      return current.actions.state === 'failed' ? current : undefined;
    });
    expect(failed.stage).toBe('erp_continue');
    expect(failed.actions.failed[0].id).toBe('erp');
    const failure = (await events(order.id)).find((e) => e.type === 'order.action_failed');
    expect(failure?.data).toMatchObject({ stage: 'erp_continue', action: { id: 'erp', type: 'http' } });
    // The execution went on to wait for a person.
    const done = await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'done' },
    });
    expect(done.status).toBe(200);
  });

  it('moves the order when a failed action says transitionTo', async () => {
    erpStatus = 500;
    const order = await create();
    await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'erp_move' },
    });
    await stageIs(order.id, 'rejected');
    const last = (await events(order.id)).filter((e) => e.type === 'order.stage_changed').at(-1);
    expect(last?.data).toMatchObject({ from: 'erp_move', to: 'rejected', cause: 'action_error' });
  });

  it('stops the order on a failed action with onError fail, and a retry runs it again', async () => {
    erpStatus = 500;
    const order = await create();
    await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'erp_fail' },
    });
    await eventually('the failure', async () =>
      (await get(order.id)).actions.state === 'failed' ? true : undefined,
    );
    await eventually('the execution to stop', async () =>
      api.stack.engine.isRunning(tenant.tenantId, order.id) ? undefined : true,
    );
    erpStatus = 200;
    const retried = await api.call(`/v1/orders/${order.id}/retry`, { method: 'POST', key: tenant.apiKey });
    expect(retried.status).toBe(202);
    const succeeded = await eventually('the retried action', async () => {
      const current = await get(order.id);
      return current.actions.state === 'succeeded' ? current : undefined;
    });
    expect(succeeded.stage).toBe('erp_fail');
    const result = (await events(order.id)).find((e) => e.type === 'order.action_succeeded');
    expect(result?.data.result).toEqual({ erpId: 'E-1' });
    const again = await api.call(`/v1/orders/${order.id}/retry`, { method: 'POST', key: tenant.apiKey });
    expect(again.status).toBe(409);
    const done = await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'done' },
    });
    expect(done.status).toBe(200);
  });

  it('lets exactly one of concurrent transitions win', async () => {
    const order = await create();
    const attempts = await Promise.all(
      ['review', 'erp_continue', 'review', 'done', 'review', 'erp_move'].map((to) =>
        api.call(`/v1/orders/${order.id}/transitions`, { method: 'POST', key: tenant.apiKey, body: { to } }),
      ),
    );
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(1);
    expect(attempts.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    const changes = (await events(order.id)).filter((e) => e.type === 'order.stage_changed');
    expect(changes).toHaveLength(1);
  });
});

describe('migrating an order to a newer workflow version', () => {
  it('moves it when its stage exists there, and refuses otherwise', async () => {
    const order = await create();
    const next = workflow();
    next.name = 'Custom v2';
    const published = await api.call('/v1/workflow', { method: 'PUT', key: tenant.apiKey, body: next });
    const migrated = await api.call(`/v1/orders/${order.id}/migrate`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { toVersion: published.body.version },
    });
    expect(migrated.status).toBe(200);
    expect(migrated.body.workflow.version).toBe(published.body.version);
    const moved = await api.call(`/v1/orders/${order.id}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'review' },
    });
    expect(moved.status).toBe(200);

    const defaultOrder = await create();
    const refused = await api.call(`/v1/orders/${defaultOrder.id}/migrate`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { toVersion: 0 },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.stage).toBe('draft');
  });
});
