import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../shared/http/routes.js';
import { eventually } from '../support/eventually.js';
import { sampleOrder, useStack } from '../support/stack.js';
import { validWorkflow } from './fixtures.js';
import { LONG } from './support.js';

const api = useStack({ allowLocalWebhooks: true });
const STORM = 100;

/** Tenant A's ids, one per path parameter, and a body each route accepts. */
const ids: Record<string, string> = {};
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

const bodies: Record<string, unknown> = {
  patchOrder: { notes: 'leak?' },
  transition: { to: 'submitted' },
  progressItem: { status: 'ready' },
  progressService: { status: 'done' },
  migrate: {},
};

beforeAll(async () => {
  a = await api.newTenant('A');
  b = await api.newTenant('B');
  await api.call('/v1/inventory/CARD-100', {
    method: 'PUT',
    key: a.apiKey,
    body: { onHand: 1, supplier: 'paperco' },
  });
  const order = await api.call('/v1/orders', { method: 'POST', key: a.apiKey, body: sampleOrder });
  ids.id = order.body.id;
  await api.call(`/v1/orders/${ids.id}/transitions`, {
    method: 'POST',
    key: a.apiKey,
    body: { to: 'submitted' },
  });
  await api.call(`/v1/orders/${ids.id}/transitions`, {
    method: 'POST',
    key: a.apiKey,
    body: { to: 'confirmed' },
  });
  await eventually('A purchase order', async () => {
    const page = await api.call(`/v1/orders/${ids.id}/purchase-orders`, { key: a.apiKey });
    return page.body.items?.length ? page : undefined;
  });
  const webhook = await api.call('/v1/webhooks', {
    method: 'POST',
    key: a.apiKey,
    body: { url: 'http://127.0.0.1:9/hooks', events: ['*'] },
  });
  ids.webhookId = webhook.body.id;
  const deliveries = await eventually('a delivery of A', async () => {
    await api.call(`/v1/orders/${ids.id}`, { method: 'PATCH', key: a.apiKey, body: {} });
    const page = await api.call(`/v1/webhooks/${ids.webhookId}/deliveries`, { key: a.apiKey });
    return page.body.items?.length ? page : undefined;
  }).catch(() => undefined);
  ids.deliveryId = deliveries?.body.items[0]?.id ?? 'dlv_none';
  await api.call('/v1/workflow', { method: 'PUT', key: a.apiKey, body: validWorkflow(100) });
  ids.version = '2';
  ids.sku = 'CARD-100';
  ids.code = 'design';
});

describe('cross-tenant probes', () => {
  it("never shows one tenant another tenant's data, on any route", async () => {
    const leaks: string[] = [];
    const secretsOfA = [ids.id, ids.webhookId, a.tenantId].filter(Boolean) as string[];
    for (const route of routes as readonly RouteDefinition[]) {
      if (route.auth !== 'tenant') continue;
      const path = route.path.replace(
        /\{(\w+)\}/g,
        (_, name: string) =>
          ids[name === 'id' && route.path.includes('webhooks') ? 'webhookId' : name] ?? 'x',
      );
      const body =
        route.method === 'GET' || route.method === 'DELETE'
          ? undefined
          : route.path.endsWith('/transitions')
            ? bodies.transition
            : route.operationId === 'patchOrder'
              ? bodies.patchOrder
              : (bodies[route.operationId] ?? {});
      const response = await api.call(path, {
        method: route.method,
        key: b.apiKey,
        body,
        headers: { 'idempotency-key': randomUUID() },
      });
      const text = JSON.stringify(response.body ?? '');
      const mentionsA = secretsOfA.some((secret) => text.includes(secret));
      const hasParams = /\{(id|deliveryId)\}/.test(route.path);
      // A 404 may echo the id B asked for; anything else must not mention A's ids at all.
      if (mentionsA && response.status !== 404)
        leaks.push(`${route.method} ${path}: ${response.status} shows A's ids`);
      // 400: B's body is refused before any lookup, which reveals nothing either.
      if (hasParams && ![400, 404].includes(response.status)) {
        leaks.push(`${route.method} ${path}: ${response.status}, not 404`);
      }
    }
    // A's inventory, workflow and lists are not B's.
    const stock = await api.call('/v1/inventory/CARD-100', { key: b.apiKey });
    if (stock.status === 200 && stock.body.onHand !== 0) leaks.push(`inventory shows ${stock.body.onHand}`);
    const version = await api.call('/v1/workflow/versions/2', { key: b.apiKey });
    if (version.status !== 404) leaks.push(`workflow version 2: ${version.status}`);
    const workflow = await api.call('/v1/workflow', { key: b.apiKey });
    if (workflow.body?.name === 'Threshold') leaks.push("B sees A's workflow");
    expect(leaks).toEqual([]);
    // And A still has all of it, untouched by B's writes.
    const order = await api.call(`/v1/orders/${ids.id}`, { key: a.apiKey });
    expect(order.status).toBe(200);
    expect(order.body.notes).toBeUndefined();
    expect((await api.call(`/v1/webhooks`, { key: a.apiKey })).body.items).toHaveLength(1);
  }, 60_000);
});

describe(`${STORM} concurrent requests`, () => {
  it('an idempotency storm creates exactly one order, and every answer is that order or a retryable refusal', async () => {
    const { apiKey } = await api.newTenant('Storm');
    const key = `storm-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: STORM }, () =>
        api.call('/v1/orders', {
          method: 'POST',
          key: apiKey,
          body: sampleOrder,
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    for (const answer of answers) expect([201, 409, 503]).toContain(answer.status);
    const list = await api.call('/v1/orders?limit=100', { key: apiKey });
    expect(list.body.items).toHaveLength(1);
    // A later retry of the same request replays the same order.
    const retry = await api.call('/v1/orders', {
      method: 'POST',
      key: apiKey,
      body: sampleOrder,
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(created[0]?.body.id);
  }, 120_000);

  it('a transition race has exactly one winner, with and without If-Match', async () => {
    const rounds = LONG ? 5 : 1;
    for (let round = 0; round < rounds; round++) {
      for (const ifMatch of [false, true]) {
        const { body: order } = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
        const answers = await Promise.all(
          Array.from({ length: STORM }, () =>
            api.call(`/v1/orders/${order.id}/transitions`, {
              method: 'POST',
              body: { to: 'submitted' },
              headers: { 'idempotency-key': randomUUID(), ...(ifMatch ? { 'if-match': '"1"' } : {}) },
            }),
          ),
        );
        const statuses = answers.map((answer) => answer.status);
        expect(statuses.filter((status) => status === 200)).toHaveLength(1);
        for (const status of statuses) expect([200, 409, 412, 503]).toContain(status);
        const events = (await api.call(`/v1/orders/${order.id}/events?limit=100`)).body.items;
        const moves = events.filter((event: { type: string }) => event.type === 'order.stage_changed');
        expect(moves).toHaveLength(1);
        expect(events.map((event: { sequence: number }) => event.sequence)).toEqual(
          events.map((_: unknown, i: number) => i + 1),
        );
        const current = await api.call(`/v1/orders/${order.id}`);
        expect(current.body.stage).toBe('submitted');
        expect(current.body.version).toBe(2);
      }
    }
  }, 180_000);
});
