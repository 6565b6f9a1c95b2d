import { beforeAll, describe, expect, it } from 'vitest';
import { freshSku } from '../../support/actions.js';
import { eventually } from '../../support/eventually.js';
import { useStack } from '../../support/stack.js';

const api = useStack();
let tenant: { apiKey: string; tenantId: string };

const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
  api.call(path, { key: tenant.apiKey, ...options });
const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(path, { method: 'POST', ...(body === undefined ? {} : { body }), headers });
const getOrder = async (id: string) => (await call(`/v1/orders/${id}`)).body;
const stock = async (sku: string) => (await call(`/v1/inventory/${sku}`)).body;
const move = (id: string, to: string) => post(`/v1/orders/${id}/transitions`, { to });
const propose = (id: string, patch: unknown, headers: Record<string, string> = {}) =>
  post(`/v1/orders/${id}/changes`, { patch }, headers);
const apply = (id: string, changeId: string, headers: Record<string, string> = {}) =>
  post(`/v1/orders/${id}/changes/${changeId}/apply`, undefined, headers);
const listChanges = async (id: string, query = '') => (await call(`/v1/orders/${id}/changes${query}`)).body;
const purchaseOrders = async (id: string) =>
  (await call(`/v1/orders/${id}/purchase-orders?limit=100`)).body.items as {
    supplier: string | null;
    changeId?: string;
    items: { sku: string; quantity: number }[];
  }[];
const eventTypes = async (id: string) =>
  ((await call(`/v1/orders/${id}/events?limit=100`)).body.items as { type: string }[]).map(
    (event) => event.type,
  );

type Line = { sku: string; quantity: number; unitPrice: number; supplier?: string };

async function createOrder(items: Line[], services = [{ code: 'design', price: 1000 }]) {
  const created = await post('/v1/orders', {
    currency: 'GBP',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    items,
    services,
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** Confirmed under the default workflow, with its reserve and purchase order actions done. */
async function confirmedOrder(items: Line[]) {
  const id = await createOrder(items);
  expect((await move(id, 'submitted')).status).toBe(200);
  expect((await move(id, 'confirmed')).status).toBe(200);
  await eventually('the confirmed stage actions', async () =>
    (await getOrder(id)).actions.state === 'succeeded' ? true : undefined,
  );
  return id;
}

beforeAll(async () => {
  tenant = await api.newTenant('Changes');
});

describe('proposing a change after confirmation', () => {
  it('answers 201 with the change and its preview, records it in the history, and leaves the order as it was', async () => {
    const id = await confirmedOrder([{ sku: freshSku(), quantity: 2, unitPrice: 100 }]);
    const before = await getOrder(id);
    const response = await propose(id, { notes: 'Deliver to the back door', metadata: { po: '4711' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/orders/${id}/changes/${response.body.id}`);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^chg_/),
      status: 'proposed',
      baseVersion: before.version,
      stage: 'confirmed',
      patch: { notes: 'Deliver to the back door', metadata: { po: '4711' } },
      preview: {
        changed: ['notes', 'metadata'],
        totals: { before: before.totals, after: before.totals },
        lines: [],
        inventory: [],
      },
    });
    expect(await getOrder(id)).toEqual(before);
    expect((await eventTypes(id)).at(-1)).toBe('order.change_proposed');
  });

  it('names every problem of the patch at once, with its path in the body', async () => {
    const id = await confirmedOrder([{ sku: freshSku(), quantity: 2, unitPrice: 100 }]);
    const response = await propose(id, {
      customer: { name: 'Someone else' },
      items: [{ sku: 'A', quantity: 0 }],
      shipping: { method: 'drone' },
      colour: 'red',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '/patch/colour',
      '/patch/customer',
      '/patch/items/0/quantity',
      '/patch/shipping/method',
    ]);
    expect((await post(`/v1/orders/${id}/changes`, { note: 'no patch' })).body.errors).toEqual([
      { path: '/patch', message: expect.any(String) },
    ]);
    expect((await listChanges(id)).items).toEqual([]);
  });

  it('is refused in a final stage (409) and for an order of another tenant (404)', async () => {
    const id = await createOrder([{ sku: freshSku(), quantity: 1, unitPrice: 100 }]);
    expect((await move(id, 'cancelled')).status).toBe(200);
    expect((await propose(id, { notes: 'too late' })).status).toBe(409);
    const other = await api.newTenant('Someone else');
    const foreign = await api.call(`/v1/orders/${id}/changes`, {
      method: 'POST',
      key: other.apiKey,
      body: { patch: { notes: 'x' } },
    });
    expect(foreign.status).toBe(404);
    expect((await api.call(`/v1/orders/${id}/changes`, { key: other.apiKey })).status).toBe(404);
  });

  it('lists changes newest first, page by page', async () => {
    const id = await confirmedOrder([{ sku: freshSku(), quantity: 2, unitPrice: 100 }]);
    const ids: string[] = [];
    for (const notes of ['one', 'two', 'three']) ids.push((await propose(id, { notes })).body.id);
    const first = await listChanges(id, '?limit=2');
    expect(first.items.map((change: { id: string }) => change.id)).toEqual([ids[2], ids[1]]);
    const second = await listChanges(id, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(second.items.map((change: { id: string }) => change.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('the preview and applying it, when the order holds reservations', () => {
  it('matches a hand-computed example, and applying adjusts stock, backorders and raises purchase orders once', async () => {
    const [a, b, c] = [freshSku('A'), freshSku('B'), freshSku('C')];
    await call(`/v1/inventory/${a}`, { method: 'PUT', body: { onHand: 8, supplier: 'paperco' } });
    await call(`/v1/inventory/${b}`, { method: 'PUT', body: { onHand: 20 } });
    // Confirming reserves 8 of A (2 backordered, on a purchase order) and 6 of B.
    const id = await confirmedOrder([
      { sku: a, quantity: 10, unitPrice: 100 },
      { sku: b, quantity: 6, unitPrice: 250 },
    ]);
    expect((await purchaseOrders(id)).map((po) => po.items)).toEqual([[{ sku: a, quantity: 2 }]]);

    const proposed = await propose(id, {
      items: [
        { sku: a, quantity: 15, unitPrice: 100 },
        { sku: b, quantity: 2, unitPrice: 250 },
        { sku: c, quantity: 1, unitPrice: 700 },
      ],
    });
    expect(proposed.status).toBe(201);
    // Items: 10×100 + 6×250 = 2500 before; 15×100 + 2×250 + 1×700 = 2700 after; 1000 of services.
    expect(proposed.body.preview).toEqual({
      changed: ['items'],
      totals: {
        before: { currency: 'GBP', items: 2500, services: 1000, grand: 3500 },
        after: { currency: 'GBP', items: 2700, services: 1000, grand: 3700 },
      },
      lines: [
        { sku: a, from: 10, to: 15, added: false, removed: false },
        { sku: b, from: 6, to: 2, added: false, removed: false },
        { sku: c, from: 0, to: 1, added: true, removed: false },
      ],
      inventory: [
        // None of A is left: all 7 missing units are backordered, 5 of them anew.
        { sku: a, reserved: 8, reserve: 0, release: 0, backordered: 7, shortfall: 5 },
        { sku: b, reserved: 6, reserve: 0, release: 4, backordered: 0, shortfall: 0 },
        // C has no stock record at all.
        { sku: c, reserved: 0, reserve: 0, release: 0, backordered: 1, shortfall: 1 },
      ],
    });

    const key = { 'idempotency-key': `apply-${proposed.body.id}` };
    const applied = await apply(id, proposed.body.id, key);
    expect(applied.status).toBe(200);
    expect(applied.body.totals).toEqual(proposed.body.preview.totals.after);
    expect(
      applied.body.items.map(({ sku, quantity, backordered }: Line & { backordered: number }) => ({
        sku,
        quantity,
        backordered,
      })),
    ).toEqual([
      { sku: a, quantity: 15, backordered: 7 },
      { sku: b, quantity: 2, backordered: 0 },
      { sku: c, quantity: 1, backordered: 1 },
    ]);
    expect(applied.headers.get('etag')).toBe(`"${applied.body.version}"`);
    expect(await stock(a)).toMatchObject({ onHand: 8, reserved: 8, available: 0 });
    expect(await stock(b)).toMatchObject({ onHand: 20, reserved: 2, available: 18 });

    const raised = () =>
      purchaseOrders(id).then((all) =>
        all
          .filter((po) => po.changeId === proposed.body.id)
          .map(({ supplier, items }) => ({ supplier, items }))
          .sort((x, y) => String(x.supplier).localeCompare(String(y.supplier))),
      );
    expect(await raised()).toEqual([
      { supplier: null, items: [{ sku: c, quantity: 1 }] },
      { supplier: 'paperco', items: [{ sku: a, quantity: 5 }] },
    ]);

    // Retried: replayed with the same key, refused without one; nothing is raised or reserved twice.
    const replay = await apply(id, proposed.body.id, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(applied.body);
    const again = await apply(id, proposed.body.id);
    expect(again.status).toBe(409);
    expect(again.body.changeStatus).toBe('applied');
    expect(await raised()).toHaveLength(2);
    expect(await purchaseOrders(id)).toHaveLength(3);
    expect(await stock(b)).toMatchObject({ reserved: 2, available: 18 });

    const [change] = (await listChanges(id)).items;
    expect(change).toMatchObject({ status: 'applied', appliedVersion: applied.body.version });
    const history = (await call(`/v1/orders/${id}/events?limit=100`)).body.items;
    expect(history.at(-1)).toMatchObject({
      type: 'order.change_applied',
      data: { changed: ['items'], change: { id: proposed.body.id, status: 'applied' } },
    });
  });

  it('answers 409 on a stale base, leaving the order and its reservations unchanged', async () => {
    const sku = freshSku();
    await call(`/v1/inventory/${sku}`, { method: 'PUT', body: { onHand: 50 } });
    const id = await confirmedOrder([{ sku, quantity: 10, unitPrice: 100 }]);
    const proposed = await propose(id, { items: [{ sku, quantity: 30, unitPrice: 100 }] });
    expect(proposed.body.preview.inventory).toEqual([
      { sku, reserved: 10, reserve: 20, release: 0, backordered: 0, shortfall: 0 },
    ]);
    expect(
      (await post(`/v1/orders/${id}/items/${sku}/progress`, { status: 'ready', quantity: 4 })).status,
    ).toBe(200);
    const moved = await getOrder(id);

    const stale = await apply(id, proposed.body.id);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ version: moved.version, baseVersion: proposed.body.baseVersion });
    expect(await getOrder(id)).toEqual(moved);
    expect(await stock(sku)).toMatchObject({ onHand: 50, reserved: 10, available: 40 });
    expect((await listChanges(id)).items[0].status).toBe('proposed');
    expect(await eventTypes(id)).not.toContain('order.change_applied');
  });

  it('lets exactly one of two changes proposed on the same base win when applied together', async () => {
    const sku = freshSku();
    await call(`/v1/inventory/${sku}`, { method: 'PUT', body: { onHand: 100 } });
    const id = await confirmedOrder([{ sku, quantity: 10, unitPrice: 100 }]);
    const first = (await propose(id, { items: [{ sku, quantity: 20, unitPrice: 100 }] })).body;
    const second = (await propose(id, { items: [{ sku, quantity: 40, unitPrice: 100 }] })).body;
    expect(first.baseVersion).toBe(second.baseVersion);

    const answers = await Promise.all([apply(id, first.id), apply(id, second.id)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)?.body;
    const order = await getOrder(id);
    expect(order.version).toBe(winner.version);
    expect(await stock(sku)).toMatchObject({ reserved: order.items[0].quantity });
  });
});

describe('reservations after an applied change', () => {
  it('are what cancelling releases, so the stock comes back whole', async () => {
    const [kept, added] = [freshSku('KEPT'), freshSku('ADDED')];
    await call(`/v1/inventory/${kept}`, { method: 'PUT', body: { onHand: 30 } });
    await call(`/v1/inventory/${added}`, { method: 'PUT', body: { onHand: 30 } });
    const id = await confirmedOrder([{ sku: kept, quantity: 10, unitPrice: 100 }]);
    const { body: change } = await propose(id, {
      items: [
        { sku: kept, quantity: 25, unitPrice: 100 },
        { sku: added, quantity: 7, unitPrice: 100 },
      ],
    });
    expect((await apply(id, change.id)).status).toBe(200);
    expect(await stock(kept)).toMatchObject({ reserved: 25, available: 5 });
    expect(await stock(added)).toMatchObject({ reserved: 7, available: 23 });

    expect((await move(id, 'cancelled')).status).toBe(200);
    await eventually('the release on cancel', async () =>
      (await getOrder(id)).actions.state === 'succeeded' ? true : undefined,
    );
    expect(await stock(kept)).toMatchObject({ onHand: 30, reserved: 0, available: 30 });
    expect(await stock(added)).toMatchObject({ onHand: 30, reserved: 0, available: 30 });
  });

  it('backorder a new shortfall without a purchase order in a stage that raised none', async () => {
    const sku = freshSku();
    await call(`/v1/inventory/${sku}`, { method: 'PUT', body: { onHand: 5 } });
    const id = await confirmedOrder([{ sku, quantity: 5, unitPrice: 100 }]);
    expect((await move(id, 'completed')).status).toBe(200);
    const { body: change } = await propose(id, { items: [{ sku, quantity: 9, unitPrice: 100 }] });
    expect(change.preview.inventory).toEqual([
      { sku, reserved: 5, reserve: 0, release: 0, backordered: 4, shortfall: 4 },
    ]);
    const applied = await apply(id, change.id);
    expect(applied.status).toBe(200);
    expect(applied.body.items[0]).toMatchObject({ quantity: 9, backordered: 4 });
    expect(await purchaseOrders(id)).toEqual([]);
  });
});

describe('rejecting and expiry', () => {
  it('rejects with a note; a rejected change cannot be applied', async () => {
    const id = await confirmedOrder([{ sku: freshSku(), quantity: 2, unitPrice: 100 }]);
    const { body: change } = await propose(id, { notes: 'maybe' });
    const rejected = await post(`/v1/orders/${id}/changes/${change.id}/reject`, {
      note: 'Customer withdrew it',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: 'Customer withdrew it' });
    expect((await apply(id, change.id)).status).toBe(409);
    expect((await post(`/v1/orders/${id}/changes/${change.id}/reject`, {})).status).toBe(409);
    expect((await eventTypes(id)).at(-1)).toBe('order.change_rejected');
    expect((await post(`/v1/orders/${id}/changes/chg_unknown/reject`, {})).status).toBe(404);
  });

  it('expires a proposed change once the order leaves the stage it was proposed in', async () => {
    const id = await confirmedOrder([{ sku: freshSku(), quantity: 2, unitPrice: 100 }]);
    const { body: change } = await propose(id, { notes: 'before completion' });
    expect((await move(id, 'completed')).status).toBe(200);
    expect((await listChanges(id)).items[0]).toMatchObject({ id: change.id, status: 'expired' });
    const refused = await apply(id, change.id);
    expect(refused.status).toBe(409);
    expect(refused.body.changeStatus).toBe('expired');
    expect((await getOrder(id)).notes).toBeUndefined();
  });
});

describe('applying a change in a stage with conditional auto transitions', () => {
  it('re-checks them, so an order the change now qualifies moves on by itself', async () => {
    const reviewed = await api.newTenant('Review by total');
    const published = await api.call('/v1/workflow', {
      method: 'PUT',
      key: reviewed.apiKey,
      body: {
        format: 'orderflow.workflow/v1',
        name: 'Small orders pass review',
        initialStage: 'draft',
        stages: [
          { id: 'draft', editable: true, transitions: [{ to: 'review' }] },
          {
            id: 'review',
            transitions: [
              { to: 'approved', auto: true, when: { field: 'totals.grand', op: 'lt', value: 5000 } },
              { to: 'approved' },
            ],
          },
          { id: 'approved', final: true },
        ],
      },
    });
    expect(published.status).toBe(201);
    const as = { key: reviewed.apiKey };
    const created = await api.call('/v1/orders', {
      ...as,
      method: 'POST',
      body: { currency: 'GBP', items: [{ sku: 'BIG', quantity: 10, unitPrice: 1000 }] },
    });
    const id = created.body.id;
    expect(
      (await api.call(`/v1/orders/${id}/transitions`, { ...as, method: 'POST', body: { to: 'review' } }))
        .status,
    ).toBe(200);
    // Parked in review (10 000 is not below 5000): its state transitions stop moving.
    let last = -1;
    let stableSince = Date.now();
    await eventually('the review wait to park', async () => {
      const now = api.stack.engine.stateTransitions.get(id) ?? 0;
      if (now !== last) [last, stableSince] = [now, Date.now()];
      return now > 0 && Date.now() - stableSince >= 300 ? true : undefined;
    });
    expect((await api.call(`/v1/orders/${id}`, as)).body.stage).toBe('review');
    const proposed = await api.call(`/v1/orders/${id}/changes`, {
      ...as,
      method: 'POST',
      body: { patch: { items: [{ sku: 'BIG', quantity: 2, unitPrice: 1000 }] } },
    });
    expect(proposed.status).toBe(201);
    const applied = await api.call(`/v1/orders/${id}/changes/${proposed.body.id}/apply`, {
      ...as,
      method: 'POST',
    });
    expect(applied.status).toBe(200);
    await eventually('the automatic move', async () => {
      const order = (await api.call(`/v1/orders/${id}`, as)).body;
      return order.stage === 'approved' ? true : undefined;
    });
  });
});
