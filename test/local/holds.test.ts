import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();
let tenant: { apiKey: string; tenantId: string };

/**
 * `a` and `b` move back and forth by hand; `review` moves on by itself once every item is
 * ready; `waiting` times out after two seconds; `cancelled` may be reached while held.
 */
const workflow = {
  format: 'orderflow.workflow/v1',
  name: 'Holds',
  initialStage: 'a',
  stages: [
    {
      id: 'a',
      editable: true,
      transitions: [
        { to: 'b' },
        { to: 'review' },
        { to: 'waiting' },
        { to: 'cancelled', overridesHold: true },
      ],
    },
    { id: 'b', transitions: [{ to: 'a' }, { to: 'cancelled', overridesHold: true }] },
    {
      id: 'review',
      transitions: [
        { to: 'approved', auto: true, when: { field: 'allItemsReady', op: 'eq', value: true } },
        { to: 'cancelled', overridesHold: true },
      ],
    },
    {
      id: 'waiting',
      timeout: { after: 'PT2S', to: 'expired' },
      transitions: [{ to: 'expired' }, { to: 'cancelled', overridesHold: true }],
    },
    { id: 'approved', final: true },
    { id: 'expired', final: true },
    { id: 'cancelled', final: true },
  ],
};

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const get = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const move = (id: string, to: string) =>
  call(`/v1/orders/${id}/transitions`, { method: 'POST', body: { to } });
const hold = (id: string, reason = 'fraud_review') =>
  call(`/v1/orders/${id}/holds`, { method: 'POST', body: { reason, note: 'checking the card' } });
const release = (id: string, holdId: string) =>
  call(`/v1/orders/${id}/holds/${holdId}`, { method: 'DELETE' });
const history = async (id: string) =>
  (await call(`/v1/orders/${id}/events?limit=100`)).body.items as {
    type: string;
    sequence: number;
    data: Record<string, any>;
  }[];
const transitions = (id: string) => api.stack.engine.stateTransitions.get(id) ?? 0;

/** Waits until the execution has stopped moving: its transition count holds for 300 ms. */
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

async function newOrder(): Promise<string> {
  const created = await call('/v1/orders', {
    method: 'POST',
    body: { currency: 'GBP', items: [{ sku: 'H-1', quantity: 2, unitPrice: 100 }] },
  });
  expect(created.status).toBe(201);
  await settled(created.body.id);
  return created.body.id;
}

beforeAll(async () => {
  tenant = await api.newTenant('Holds');
  expect((await call('/v1/workflow', { method: 'PUT', body: workflow })).status).toBe(201);
});

describe('holds', () => {
  it('are listed on the order with reason, note and actor, and announced in its history', async () => {
    const id = await newOrder();
    const placed = await hold(id);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ reason: 'fraud_review', note: 'checking the card' });
    expect(placed.body.id).toMatch(/^hold_/);
    expect(placed.body.placedBy).toMatchObject({ type: 'key' });
    expect((await get(id)).holds).toEqual([placed.body]);
    const released = await release(id, placed.body.id);
    expect(released.status).toBe(200);
    expect(released.body.holds).toEqual([]);
    expect((await release(id, placed.body.id)).status).toBe(404);
    expect((await history(id)).map((event) => event.type)).toEqual([
      'order.created',
      'order.hold_placed',
      'order.hold_released',
    ]);
  });

  it('refuses manual transitions with a 409 naming the holds, except those that override them', async () => {
    const id = await newOrder();
    const first = (await hold(id, 'payment')).body;
    const second = (await hold(id, 'stock')).body;
    const refused = await move(id, 'b');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(first.id);
    expect(refused.body.holds.map((h: { id: string }) => h.id)).toEqual([first.id, second.id]);
    // One of two released: still held.
    await release(id, first.id);
    expect((await move(id, 'b')).status).toBe(409);
    expect((await move(id, 'cancelled')).status).toBe(200);
    expect((await hold(id)).status).toBe(409);
  });

  it('lets no transition commit after a hold placed in the middle of 20 concurrent ones', async () => {
    const id = await newOrder();
    const moves = Array.from({ length: 20 }, (_, index) => move(id, index % 2 === 0 ? 'b' : 'a'));
    const [placed, ...answers] = await Promise.all([hold(id), ...moves]);
    expect(placed?.status).toBe(201);
    expect(answers.every((answer) => [200, 409].includes(answer.status))).toBe(true);
    const events = await history(id);
    const held = events.find((event) => event.type === 'order.hold_placed');
    const moved = events.filter((event) => event.type === 'order.stage_changed');
    expect(moved.every((event) => event.sequence < (held?.sequence ?? 0))).toBe(true);
    // Every answer that was a 200 is one of the recorded moves, all before the hold.
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(moved.length);
    const after = await move(id, (await get(id)).stage === 'a' ? 'b' : 'a');
    expect(after.status).toBe(409);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
  });

  it('takes no auto transition while held, and re-checks them when the last hold is released', async () => {
    const id = await newOrder();
    expect((await move(id, 'review')).status).toBe(200);
    const beforeHold = await settled(id);
    const placed = (await hold(id)).body;
    // Item progress stays allowed; the order is ready, but held.
    expect(
      (await call(`/v1/orders/${id}/items/H-1/progress`, { method: 'POST', body: { status: 'ready' } }))
        .status,
    ).toBe(200);
    const whileHeld = await settled(id);
    expect((await get(id)).stage).toBe('review');
    // The progress re-check: the wait completes into the auto Choice, which sees the hold and parks again.
    expect(whileHeld - beforeHold).toBe(2);
    expect((await release(id, placed.id)).status).toBe(200);
    await eventually('the automatic move after the release', async () =>
      (await get(id)).stage === 'approved' ? true : undefined,
    );
    const afterRelease = await settled(id);
    // The release's re-check: the auto Choice, then the move, which ends in the final stage.
    expect(afterRelease - whileHeld).toBe(2);
    expect((await history(id)).filter((e) => e.type === 'order.stage_changed').at(-1)?.data).toMatchObject({
      from: 'review',
      to: 'approved',
      cause: 'auto',
    });
  });

  it('fires a stage timeout that fell due during a hold when the hold is released, not before', async () => {
    const id = await newOrder();
    expect((await move(id, 'waiting')).status).toBe(200);
    const placed = (await hold(id, 'customer_request')).body;
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await get(id)).stage).toBe('waiting');
    const beforeRelease = await settled(id);
    expect((await release(id, placed.id)).status).toBe(200);
    await eventually('the timeout move after the release', async () =>
      (await get(id)).stage === 'expired' ? true : undefined,
    );
    expect((await history(id)).filter((e) => e.type === 'order.stage_changed').at(-1)?.data).toMatchObject({
      from: 'waiting',
      to: 'expired',
      cause: 'timeout',
    });
    // After the release: the held wait completes into the timeout move, which ends the execution.
    expect((await settled(id)) - beforeRelease).toBe(1);
  }, 20_000);
});
