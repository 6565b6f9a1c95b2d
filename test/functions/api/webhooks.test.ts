import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { MAX_SUBSCRIPTIONS_PER_TENANT } from '../../../shared/webhooks/subscriptions.js';
import { eventually } from '../../support/eventually.js';
import { type Receiver, type Responder, startReceiver } from '../../support/receiver.js';
import { sampleOrder, useStack } from '../../support/stack.js';

// Three attempts in all, retried after ~0.3 s and ~0.5 s; an attempt gives up after 3 s.
const api = useStack({
  allowLocalWebhooks: true,
  webhookRetrySchedule: 'PT0.3S,PT0.5S',
  webhookTimeoutMs: 3000,
});

const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(respond?: Responder) {
  const started = await startReceiver(respond);
  receivers.push(started);
  return started;
}

/** A fresh tenant, so that no other test's events reach its subscriptions. */
async function tenant() {
  const { apiKey } = await api.newTenant();
  const as = <T = any>(path: string, options: Parameters<typeof api.call>[1] = {}) =>
    api.call<T>(path, { ...options, key: apiKey });
  // Only creations by default: the order's execution may add events of its own.
  const subscribe = async (target: Receiver, events: string[] = ['order.created']) => {
    const response = await as('/v1/webhooks', { method: 'POST', body: { url: target.url, events } });
    expect(response.status).toBe(201);
    target.secret = response.body.secret;
    return response.body as { id: string; secret: string };
  };
  const createOrder = async () => {
    const response = await as('/v1/orders', { method: 'POST', body: sampleOrder });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };
  const deliveries = async (webhookId: string) =>
    (await as(`/v1/webhooks/${webhookId}/deliveries`)).body.items;
  return { apiKey, as, subscribe, createOrder, deliveries };
}

const statusAt =
  (...statuses: number[]): Responder =>
  (_request, response, index) =>
    response.writeHead(statuses[Math.min(index, statuses.length - 1)] as number).end(`answer ${index + 1}`);

describe('subscribing', () => {
  it('answers the whsec_ secret once and never lists it', async () => {
    const { as } = await tenant();
    const created = await as('/v1/webhooks', {
      method: 'POST',
      body: {
        url: 'https://hooks.example.com/orders',
        events: ['order.shipped', 'order.shipped', 'custom.thing'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://hooks.example.com/orders',
      events: ['order.shipped', 'custom.thing'],
      status: 'active',
    });
    expect(created.body.id).toMatch(/^wh_[0-9A-Z]{26}$/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${created.body.id}`);
    const { secret, ...webhook } = created.body;
    const listed = await as('/v1/webhooks');
    expect(listed.body.items).toEqual([webhook]);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
  });

  it('refuses every forbidden URL class, naming the problem', async () => {
    const { as } = await tenant();
    const forbidden = {
      'http to a public host': 'http://hooks.example.com/x',
      'another scheme': 'ftp://hooks.example.com/x',
      credentials: 'https://user:pass@hooks.example.com/x',
      'private 10/8': 'https://10.0.0.1/x',
      'private 172.16/12': 'https://172.16.5.4/x',
      'private 192.168/16': 'https://192.168.1.1/x',
      'loopback other than 127.0.0.1': 'https://127.0.0.2/x',
      'a localhost name': 'https://api.localhost/x',
      'link-local metadata': 'http://169.254.169.254/latest/meta-data',
      'carrier-grade NAT': 'https://100.64.0.1/x',
      '"this network"': 'https://0.0.0.0/x',
      'IPv6 loopback': 'https://[::1]/x',
      'IPv6 unique local': 'https://[fd00::1]/x',
      'IPv6 link-local': 'https://[fe80::1]/x',
      'IPv4-mapped private': 'https://[::ffff:10.0.0.1]/x',
      'not a URL': 'hooks.example.com',
    };
    for (const [name, url] of Object.entries(forbidden)) {
      const response = await as('/v1/webhooks', { method: 'POST', body: { url, events: ['*'] } });
      expect(response.status, name).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors.length, name).toBeGreaterThan(0);
      expect(
        response.body.errors.every((e: { path: string }) => e.path === '/url'),
        name,
      ).toBe(true);
    }
    expect((await as('/v1/webhooks')).body.items).toEqual([]);
  });

  it('lists every problem of a bad request at once', async () => {
    const { as } = await tenant();
    const response = await as('/v1/webhooks', {
      method: 'POST',
      body: { url: 'https://10.1.2.3/', events: ['Order Shipped', '*'], extra: true },
    });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/events/0', '/extra', '/url']);
    const empty = await as('/v1/webhooks', {
      method: 'POST',
      body: { url: 'https://a.example.com', events: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('/events');
  });

  it("keeps tenants apart: another tenant's webhook and deliveries answer 404", async () => {
    const owner = await tenant();
    const other = await tenant();
    const target = await receiver();
    const { id } = await owner.subscribe(target);
    await owner.createOrder();
    const [delivered] = await target.waitFor(1);
    const deliveryId = `dlv_${delivered?.webhookId.slice(4)}`;
    expect((await other.as(`/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect(
      (await other.as(`/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await other.as(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await other.as('/v1/webhooks')).body.items).toEqual([]);
    expect((await owner.as(`/v1/webhooks/${id}/deliveries`)).body.items).toHaveLength(1);
  });

  it('stops delivering once a subscription is deleted', async () => {
    const { as, subscribe, createOrder } = await tenant();
    const deleted = await receiver();
    const kept = await receiver();
    const { id } = await subscribe(deleted);
    await subscribe(kept);
    expect((await as(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await as(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
    await createOrder();
    await kept.waitFor(1);
    expect(deleted.received).toHaveLength(0);
  });
});

describe('delivering', () => {
  it('delivers created and updated events, verified, in sequence order and without gaps', async () => {
    const { as, subscribe, createOrder, deliveries } = await tenant();
    const all = await receiver();
    const updatesOnly = await receiver();
    const { id } = await subscribe(all, ['order.created', 'order.updated']);
    await subscribe(updatesOnly, ['order.updated']);
    const order = await createOrder();
    for (const notes of ['first', 'second', 'third']) {
      expect((await as(`/v1/orders/${order.id}`, { method: 'PATCH', body: { notes } })).status).toBe(200);
    }
    const received = await all.waitFor(4);
    await updatesOnly.waitFor(3);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(received.map((r) => r.body.type)).toEqual([
      'order.created',
      'order.updated',
      'order.updated',
      'order.updated',
    ]);
    expect(received.map((r) => r.body.data.sequence)).toEqual([1, 2, 3, 4]);
    expect(received.map((r) => r.body.data.order.notes)).toEqual([undefined, 'first', 'second', 'third']);
    const history = (await as(`/v1/orders/${order.id}/events`)).body.items;
    expect(received.map((r) => r.webhookId)).toEqual(history.map((e: { id: string }) => e.id));
    expect(received[0]?.body).toEqual({
      id: history[0].id,
      type: 'order.created',
      tenantId: expect.stringMatching(/^ten_/),
      timestamp: history[0].timestamp,
      data: history[0].data,
    });
    expect(updatesOnly.received.map((r) => r.body.data.sequence)).toEqual([2, 3, 4]);
    const listed = await eventually('every delivery to succeed', async () => {
      const items = await deliveries(id);
      return items.every((d: { status: string }) => d.status === 'delivered') && items;
    });
    expect(listed.map((d: { sequence: number }) => d.sequence)).toEqual([4, 3, 2, 1]);
    const firstPage = await as(`/v1/webhooks/${id}/deliveries?limit=1`);
    const secondPage = await as(`/v1/webhooks/${id}/deliveries?limit=1&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body.items[0].sequence).toBe(3);
  });

  it('names itself in a User-Agent carrying the release that sent it', async () => {
    const { subscribe, createOrder } = await tenant();
    const target = await receiver();
    await subscribe(target);
    await createOrder();
    const [delivery] = await target.waitFor(1);
    expect(delivery?.headers['user-agent']).toBe(`Orderflow-Webhooks/${packageJson.version}`);
  });

  it('publishes no event for a change whose transaction failed its condition', async () => {
    const { as, subscribe, createOrder } = await tenant();
    const target = await receiver();
    await subscribe(target, ['order.created', 'order.updated']);
    const order = await createOrder();
    const stale = await as(`/v1/orders/${order.id}`, {
      method: 'PATCH',
      headers: { 'if-match': '"9"' },
      body: { notes: 'lost' },
    });
    expect(stale.status).toBe(412);
    expect((await as(`/v1/orders/${order.id}`, { method: 'PATCH', body: { notes: 'kept' } })).status).toBe(
      200,
    );
    await target.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.received.map((r) => [r.body.type, r.body.data.sequence, r.body.data.order.notes])).toEqual([
      ['order.created', 1, undefined],
      ['order.updated', 2, 'kept'],
    ]);
  });

  it('retries after a 500 and after a timeout with the same webhook-id, logging every attempt', async () => {
    const { subscribe, createOrder, deliveries } = await tenant();
    const target = await receiver((_request, response, index) => {
      if (index === 0) response.writeHead(500).end('boom');
      else if (index === 1) setTimeout(() => response.writeHead(200).end('too late'), 3500);
      else response.writeHead(200).end('ok');
    });
    const { id } = await subscribe(target);
    await createOrder();
    const received = await target.waitFor(3);
    expect(new Set(received.map((r) => r.webhookId)).size).toBe(1);
    expect(received.every((r) => r.verified)).toBe(true);
    const [delivery] = await eventually('the delivery', async () => {
      const items = await deliveries(id);
      return items[0]?.status === 'delivered' && items;
    });
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.eventId).toBe(received[0]?.webhookId);
    const [first, second, third] = delivery.attempts;
    expect(first).toMatchObject({ attempt: 1, outcome: 'retry', statusCode: 500, responseBody: 'boom' });
    expect(first.nextAttemptAt).toBeDefined();
    expect(second).toMatchObject({ attempt: 2, outcome: 'retry', error: 'no response within 3000 ms' });
    expect(second.statusCode).toBeUndefined();
    expect(second.durationMs).toBeGreaterThanOrEqual(2990);
    expect(third).toMatchObject({ attempt: 3, outcome: 'delivered', statusCode: 200, responseBody: 'ok' });
    expect(delivery.nextAttemptAt).toBeUndefined();
  });

  it('honours Retry-After on a 429, up to the longest scheduled delay', async () => {
    const { subscribe, createOrder } = await tenant();
    const target = await receiver((_request, response, index) =>
      index === 0 ? response.writeHead(429, { 'retry-after': '30' }).end() : response.writeHead(204).end(),
    );
    await subscribe(target);
    await createOrder();
    const [first, second] = await target.waitFor(2);
    // The schedule alone would retry within 0.3 s; Retry-After asks 30 s, capped at the longest entry (0.5 s).
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(480);
  });

  it('marks a delivery failed after the last attempt, and redelivers it on request', async () => {
    const { as, subscribe, createOrder, deliveries } = await tenant();
    let healthy = false;
    const target = await receiver((_request, response) => response.writeHead(healthy ? 200 : 503).end());
    const { id } = await subscribe(target);
    await createOrder();
    const [failed] = await eventually('the failed delivery', async () => {
      const items = await deliveries(id);
      return items[0]?.status === 'failed' && items;
    });
    expect(failed.attemptCount).toBe(3);
    expect(target.received).toHaveLength(3);
    healthy = true;
    const redelivered = await as(`/v1/webhooks/${id}/deliveries/${failed.id}/redeliver`, { method: 'POST' });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: failed.id, status: 'pending' });
    const received = await target.waitFor(4);
    expect(new Set(received.map((r) => r.webhookId)).size).toBe(1);
    const [delivered] = await eventually('the redelivery', async () => {
      const items = await deliveries(id);
      return items[0]?.status === 'delivered' && items;
    });
    expect(delivered.attemptCount).toBe(4);
    const unknown = await as(`/v1/webhooks/${id}/deliveries/dlv_00000000000000000000000000/redeliver`, {
      method: 'POST',
    });
    expect(unknown.status).toBe(404);
  });

  it('disables the subscription when the endpoint answers 410 Gone', async () => {
    const { as, subscribe, createOrder, deliveries } = await tenant();
    const target = await receiver(statusAt(410));
    const { id } = await subscribe(target);
    await createOrder();
    await target.waitFor(1);
    const webhook = await eventually('the webhook to be disabled', async () => {
      const [listed] = (await as('/v1/webhooks')).body.items;
      return listed?.status === 'disabled' && listed;
    });
    expect(webhook.disabledReason).toMatch(/410/);
    const [delivery] = await deliveries(id);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 1 });
    await createOrder();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(target.received).toHaveLength(1);
    const redeliver = await as(`/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
    expect(redeliver.status).toBe(409);
  });

  it('does not let a hanging endpoint delay a healthy one', async () => {
    const { subscribe, createOrder } = await tenant();
    const hanging = await receiver(() => undefined);
    const healthy = await receiver();
    await subscribe(hanging);
    await subscribe(healthy);
    const orders = 8;
    await Promise.all(Array.from({ length: orders }, () => createOrder()));
    await healthy.waitFor(orders);
    // Every healthy delivery landed while the hanging endpoint still held its first four
    // attempts open: nothing waited for its 3 s timeouts.
    expect(hanging.received.length).toBeLessThanOrEqual(4);
    await hanging.waitFor(5, 10_000);
    expect(hanging.maxConcurrent).toBe(4);
  });
});

describe('rotating the secret and recovering', () => {
  it('rotates the secret, and for 24 hours every delivery verifies under the old one and the new one', async () => {
    const { as, subscribe, createOrder } = await tenant();
    const target = await receiver();
    const { id, secret: oldSecret } = await subscribe(target);
    const rotatedAt = Date.now();
    const rotated = await as(`/v1/webhooks/${id}/secret/rotate`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.body.secret).not.toBe(oldSecret);
    const expiresAt = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(expiresAt - rotatedAt).toBeGreaterThanOrEqual(24 * 3600_000 - 60_000);
    expect(expiresAt - rotatedAt).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
    const [listed] = (await as('/v1/webhooks')).body.items;
    expect(listed.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
    expect(JSON.stringify(listed)).not.toContain(rotated.body.secret.slice(6));

    await createOrder();
    const [delivery] = await target.waitFor(1);
    const headers = delivery?.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, rotated.body.secret]) {
      expect(new Webhook(secret).verify(delivery?.raw as string, headers)).toMatchObject({
        type: 'order.created',
      });
    }
    expect(
      (await as('/v1/webhooks/wh_00000000000000000000000000/secret/rotate', { method: 'POST' })).status,
    ).toBe(404);
  });

  it('recovers every event since a time, those missed while disabled included, and re-enables the subscription', async () => {
    const { as, subscribe, createOrder, deliveries } = await tenant();
    const target = await receiver(statusAt(410, 204));
    const { id } = await subscribe(target);
    const gone = await createOrder();
    await eventually('the webhook to be disabled', async () => {
      const [listed] = (await as('/v1/webhooks')).body.items;
      return listed?.status === 'disabled';
    });
    const since = new Date().toISOString();
    const missed = await createOrder();
    const recorded = await eventually('the missed event to be recorded', async () => {
      const items = await deliveries(id);
      return items.length === 2 && items;
    });
    expect(recorded[0]).toMatchObject({ orderId: missed.id, status: 'failed', attemptCount: 0 });
    expect(target.received).toHaveLength(1);

    const recovered = await as(`/v1/webhooks/${id}/recover`, { method: 'POST', body: { since } });
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ requeued: 1 });
    const [, resent] = await target.waitFor(2);
    expect(resent?.verified).toBe(true);
    expect(resent?.body.data.order.id).toBe(missed.id);
    const [listed] = (await as('/v1/webhooks')).body.items;
    expect(listed.status).toBe('active');
    expect(listed.disabledReason).toBeUndefined();

    const all = await as(`/v1/webhooks/${id}/recover`, {
      method: 'POST',
      body: { since: '2020-01-01T00:00:00Z' },
    });
    expect(all.body).toEqual({ requeued: 2 });
    const received = await target.waitFor(4);
    expect(
      received
        .slice(2)
        .map((r) => r.body.data.order.id)
        .sort(),
    ).toEqual([gone.id, missed.id].sort());

    const bad = await as(`/v1/webhooks/${id}/recover`, { method: 'POST', body: { since: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/since']);
  });
});

describe('subscriptions per tenant', () => {
  it(`are limited to ${MAX_SUBSCRIPTIONS_PER_TENANT}, and the next one answers 422 naming the limit`, async () => {
    const { apiKey } = await api.newTenant();
    const subscribe = () =>
      api.call('/v1/webhooks', {
        method: 'POST',
        key: apiKey,
        body: { url: 'http://127.0.0.1:9/hooks', events: ['order.created'] },
      });
    for (let count = 0; count < MAX_SUBSCRIPTIONS_PER_TENANT; count++)
      expect((await subscribe()).status).toBe(201);
    const refused = await subscribe();
    expect(refused.status).toBe(422);
    expect(refused.body.limit).toBe(MAX_SUBSCRIPTIONS_PER_TENANT);
  });
});
