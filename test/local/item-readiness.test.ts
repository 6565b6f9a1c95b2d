import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();
let tenant: { apiKey: string; tenantId: string };

const example = JSON.parse(
  readFileSync(new URL('../../examples/item-readiness.workflow.json', import.meta.url), 'utf8'),
);

/** A draft stage that is editable and moves on by itself once the order is small enough. */
const autoOnPatch = {
  format: 'orderflow.workflow/v1',
  name: 'Auto on patch',
  initialStage: 'draft',
  stages: [
    {
      id: 'draft',
      editable: true,
      transitions: [
        { to: 'approved', auto: true, when: { field: 'totals.grand', op: 'lt', value: 5000 } },
        { to: 'approved' },
      ],
    },
    { id: 'approved', final: true },
  ],
};

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const events = async (id: string) =>
  (await call(`/v1/orders/${id}/events?limit=100`)).body.items as {
    type: string;
    data: Record<string, any>;
  }[];
const progress = (id: string, sku: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`/v1/orders/${id}/items/${sku}/progress`, { method: 'POST', body, headers });
const move = (id: string, to: string) =>
  call(`/v1/orders/${id}/transitions`, { method: 'POST', body: { to } });
const transitions = (id: string) => api.stack.engine.stateTransitions.get(id) ?? 0;

/** Waits until the execution has stopped moving (it is parked in a wait): the count holds for 300 ms. */
async function settled(id: string): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  return eventually(`execution of ${id} to park`, async () => {
    const now = transitions(id);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
      return undefined;
    }
    return Date.now() - stableSince >= 300 ? now : undefined;
  });
}

function orderWith(skus: string[]) {
  return {
    currency: 'GBP',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    items: skus.map((sku) => ({ sku, quantity: 10, unitPrice: 100 })),
  };
}

async function confirmedOrder(skus: string[]) {
  const { body: order } = await call('/v1/orders', { method: 'POST', body: orderWith(skus) });
  expect((await move(order.id, 'submitted')).status).toBe(200);
  expect((await move(order.id, 'confirmed')).status).toBe(200);
  await eventually('the confirmed actions', async () =>
    (await get(order.id)).actions.state === 'succeeded' ? true : undefined,
  );
  await settled(order.id);
  return order.id as string;
}

beforeAll(async () => {
  tenant = await api.newTenant('Item readiness');
  const published = await call('/v1/workflow', { method: 'PUT', body: example });
  expect(published.status).toBe(201);
  expect(published.body.warnings).toEqual([]);
});

describe('item progress under a workflow that completes orders once every item is ready', () => {
  it('stays confirmed while items are pending and completes by itself when the last one is ready', async () => {
    const id = await confirmedOrder(['A', 'B', 'C']);
    const before = transitions(id);
    const first = await progress(id, 'A', { status: 'ready' });
    expect(first.status).toBe(200);
    expect(first.body.items[0]).toMatchObject({ sku: 'A', status: 'ready', readyQuantity: 10 });
    const afterOne = await settled(id);
    // One re-check: the wait completes into the auto Choice (1), which parks a new wait (2).
    expect(afterOne - before).toBe(2);
    expect((await progress(id, 'B', { status: 'done', quantity: 10 })).status).toBe(200);
    await settled(id);
    expect((await get(id)).stage).toBe('confirmed');

    expect((await progress(id, 'C', { status: 'ready', quantity: 10 })).status).toBe(200);
    await eventually('the automatic move', async () =>
      (await get(id)).stage === 'completed' ? true : undefined,
    );
    const history = await events(id);
    expect(
      history.filter((e) => e.type === 'order.item_progressed').map((e) => [e.data.sku, e.data.status]),
    ).toEqual([
      ['A', 'ready'],
      ['B', 'done'],
      ['C', 'ready'],
    ]);
    expect(history.filter((e) => e.type === 'order.stage_changed').at(-1)?.data).toMatchObject({
      from: 'confirmed',
      to: 'completed',
      cause: 'auto',
    });
  });

  it('loses no progress when items progress concurrently, and decides on the fresh order', async () => {
    const skus = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'];
    const id = await confirmedOrder(skus);
    const answers = await Promise.all(skus.slice(0, 7).map((sku) => progress(id, sku, { status: 'ready' })));
    expect(answers.map((answer) => answer.status)).toEqual(skus.slice(0, 7).map(() => 200));
    await settled(id);
    const order = await get(id);
    expect(order.stage).toBe('confirmed');
    expect(order.items.map((item: { status: string }) => item.status)).toEqual([
      ...Array(7).fill('ready'),
      'pending',
    ]);
    expect((await events(id)).filter((e) => e.type === 'order.item_progressed')).toHaveLength(7);

    expect((await progress(id, 'P8', { status: 'done' })).status).toBe(200);
    await eventually('the automatic move', async () =>
      (await get(id)).stage === 'completed' ? true : undefined,
    );
  });

  it('lands every one of 50 concurrent progress updates on different lines of one order', async () => {
    const skus = Array.from({ length: 50 }, (_, index) => `C${index}`);
    const { body: order } = await call('/v1/orders', { method: 'POST', body: orderWith(skus) });
    const answers = await Promise.all(skus.map((sku) => progress(order.id, sku, { status: 'done' })));
    expect(answers.map((answer) => answer.status)).toEqual(skus.map(() => 200));
    const stored = await get(order.id);
    expect(stored.items.map((item: { status: string }) => item.status)).toEqual(skus.map(() => 'done'));
    expect((await events(order.id)).filter((e) => e.type === 'order.item_progressed')).toHaveLength(50);
  }, 120_000);

  it('does not wake an execution waiting in a stage without auto transitions', async () => {
    const { body: order } = await call('/v1/orders', { method: 'POST', body: orderWith(['S1', 'S2']) });
    expect((await move(order.id, 'submitted')).status).toBe(200);
    const parked = await settled(order.id);
    const patched = await call(`/v1/orders/${order.id}`, { method: 'PATCH', body: { notes: 'rush' } });
    expect(patched.status).toBe(200);
    expect((await progress(order.id, 'S1', { status: 'ready' })).status).toBe(200);
    expect((await progress(order.id, 'S2', { status: 'ready' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(transitions(order.id)).toBe(parked);
    expect((await get(order.id)).stage).toBe('submitted');
    // The wait is still the one it was: a manual transition still moves the order on. Its
    // items are all ready, so after the confirmed stage's actions it completes by itself
    // (the moment in between, when its actions show succeeded, can be too short to observe).
    expect((await move(order.id, 'confirmed')).status).toBe(200);
    await eventually('the order to complete', async () =>
      (await get(order.id)).stage === 'completed' ? true : undefined,
    );
    const types = (await events(order.id)).map((event) => event.type);
    expect(types.filter((type) => type === 'order.action_succeeded')).toHaveLength(2);
  });

  it('answers 404 for unknown lines, 409 in a final stage, 412 for a stale If-Match, 400 for too many units', async () => {
    const { body: order } = await call('/v1/orders', {
      method: 'POST',
      body: { ...orderWith(['E1']), services: [{ code: 'design', price: 10 }] },
    });
    expect((await progress(order.id, 'NOPE', { status: 'ready' })).status).toBe(404);
    expect(
      (
        await call(`/v1/orders/${order.id}/services/nope/progress`, {
          method: 'POST',
          body: { status: 'ready' },
        })
      ).status,
    ).toBe(404);
    expect((await progress('ord_missing', 'E1', { status: 'ready' })).status).toBe(404);
    const tooMany = await progress(order.id, 'E1', { status: 'pending', quantity: 11 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe('/quantity');
    expect((await progress(order.id, 'E1', { status: 'finished' })).status).toBe(400);
    const stale = await progress(order.id, 'E1', { status: 'ready' }, { 'if-match': '"99"' });
    expect(stale.status).toBe(412);
    const partial = await progress(
      order.id,
      'E1',
      { status: 'pending', quantity: 4 },
      { 'if-match': `"${order.version}"` },
    );
    expect(partial.status).toBe(200);
    expect(partial.headers.get('etag')).toBe(`"${order.version + 1}"`);
    expect(partial.body.items[0]).toMatchObject({ status: 'pending', readyQuantity: 4 });
    const service = await call(`/v1/orders/${order.id}/services/design/progress`, {
      method: 'POST',
      body: { status: 'done' },
    });
    expect(service.status).toBe(200);
    expect(service.body.services[0]).toMatchObject({ code: 'design', status: 'done' });

    expect((await move(order.id, 'cancelled')).status).toBe(200);
    const final = await progress(order.id, 'E1', { status: 'ready' });
    expect(final.status).toBe(409);
  });

  it('records progress once per Idempotency-Key and replays the answer', async () => {
    const { body: order } = await call('/v1/orders', { method: 'POST', body: orderWith(['I1']) });
    const headers = { 'idempotency-key': `progress-${order.id}` };
    const first = await progress(order.id, 'I1', { status: 'ready', quantity: 10 }, headers);
    const again = await progress(order.id, 'I1', { status: 'ready', quantity: 10 }, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await progress(order.id, 'I1', { status: 'done' }, headers)).status).toBe(422);
    expect((await events(order.id)).filter((e) => e.type === 'order.item_progressed')).toHaveLength(1);
  });

  it('lets the itemsReady requirement guard a manual transition', async () => {
    const id = await confirmedOrder(['R1', 'R2']);
    await progress(id, 'R1', { status: 'ready' });
    const refused = await move(id, 'completed');
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: '/requires/itemsReady', message: 'Not ready or done yet: R2.' },
    ]);
  });
});

describe('re-checking auto transitions when an order is edited', () => {
  it('moves an order on by itself once a PATCH makes its condition hold', async () => {
    const other = await api.newTenant('Auto on patch');
    const published = await api.call('/v1/workflow', { method: 'PUT', key: other.apiKey, body: autoOnPatch });
    expect(published.status).toBe(201);
    const { body: order } = await api.call('/v1/orders', {
      method: 'POST',
      key: other.apiKey,
      body: { currency: 'GBP', items: [{ sku: 'BIG', quantity: 100, unitPrice: 100 }] },
    });
    await settled(order.id);
    expect((await api.call(`/v1/orders/${order.id}`, { key: other.apiKey })).body.stage).toBe('draft');
    const patched = await api.call(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      key: other.apiKey,
      body: { items: [{ sku: 'BIG', quantity: 1, unitPrice: 100 }] },
    });
    expect(patched.status).toBe(200);
    await eventually('the automatic move', async () =>
      (await api.call(`/v1/orders/${order.id}`, { key: other.apiKey })).body.stage === 'approved'
        ? true
        : undefined,
    );
  });
});
