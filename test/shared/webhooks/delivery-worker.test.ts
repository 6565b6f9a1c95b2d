import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoWebhookStore } from '../../../shared/adapters/dynamodb/webhook-store.js';
import { AesGcmSecretBox } from '../../../shared/adapters/node/aes-gcm-secret-box.js';
import { newId } from '../../../shared/ids.js';
import { keys } from '../../../shared/table.js';
import type { DeliveryMessage, DeliveryQueue } from '../../../shared/webhooks/delivery-queue.js';
import { DeliveryWorker } from '../../../shared/webhooks/delivery-worker.js';
import { WebhookFanOut } from '../../../shared/webhooks/fan-out.js';
import { WebhookService } from '../../../shared/webhooks/subscriptions.js';
import type { HostLookup } from '../../../shared/webhooks/url-safety.js';
import { useDynamoTable } from '../../support/dynamodb-table.js';
import { startReceiver } from '../../support/receiver.js';

const tableName = 'orderflow';
const table = useDynamoTable(tableName);
let store: DynamoWebhookStore;
const secretBox = new AesGcmSecretBox(randomBytes(32));

/** Records what is queued instead of delivering it. */
class RecordingQueue implements DeliveryQueue {
  sent: { message: DeliveryMessage; notBefore?: Date }[] = [];
  deadLettered: { message: DeliveryMessage; reason: string }[] = [];
  async send(message: DeliveryMessage, notBefore?: Date) {
    this.sent.push({ message, notBefore });
  }
  async deadLetter(message: DeliveryMessage, reason: string) {
    this.deadLettered.push({ message, reason });
  }
}

const resolvesTo =
  (address: string): HostLookup =>
  async () => [{ address, family: address.includes(':') ? 6 : 4 }];

const publicAddress = resolvesTo('93.184.216.34');

beforeAll(() => {
  store = new DynamoWebhookStore(table.documents, tableName);
});

let tenantCount = 0;

/** A tenant with one subscription (its host resolving publicly at subscription) and one committed event. */
async function subscribedTenant(url = 'https://hooks.example.com/orders') {
  const tenantId = `ten_${++tenantCount}`;
  const queue = new RecordingQueue();
  const service = new WebhookService(store, secretBox, queue, { allowLocal: false, lookup: publicAddress });
  const webhook = await service.create(tenantId, { url, events: ['*'] });
  const event = {
    id: `evt_01J0000000000000000000000${tenantCount}`,
    type: 'order.created',
    tenantId,
    orderId: 'ord_1',
    sequence: 1,
    timestamp: '2026-11-26T10:00:00.000Z',
  };
  await table.documents.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.orderEvent(tenantId, 'ord_1', 1),
        entity: 'event',
        ...event,
        actor: { type: 'system' },
        data: { order: { id: 'ord_1' }, sequence: 1 },
      },
    }),
  );
  return { tenantId, queue, service, webhook, event };
}

describe('URL safety', () => {
  it('refuses a subscription whose host resolves to a forbidden address', async () => {
    const service = new WebhookService(store, secretBox, new RecordingQueue(), {
      allowLocal: false,
      lookup: resolvesTo('10.1.2.3'),
    });
    await expect(
      service.create('ten_dns', { url: 'https://internal.example.com/', events: ['*'] }),
    ).rejects.toMatchObject({
      status: 400,
      errors: [{ path: '/url', message: expect.stringMatching(/resolves to 10\.1\.2\.3.*private/) }],
    });
  });

  it.each([
    ['10.0.0.1'],
    ['172.16.0.1'],
    ['192.168.0.1'],
    ['127.0.0.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['::1'],
    ['fd00::1'],
    ['fe80::1'],
    ['::ffff:10.0.0.1'],
  ])('refuses at delivery time when the host has come to resolve to %s (DNS rebinding)', async (address) => {
    const { tenantId, queue, webhook, event } = await subscribedTenant();
    await new WebhookFanOut(store, queue).publish(event);
    const [queued] = queue.sent;
    const worker = new DeliveryWorker(store, secretBox, queue, {
      allowLocal: false,
      lookup: resolvesTo(address),
    });
    await worker.process(queued?.message as DeliveryMessage);
    const delivery = await store.getDelivery(tenantId, webhook.id, queued?.message.deliveryId as string);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(delivery?.attempts[0]).toMatchObject({
      outcome: 'refused',
      error: expect.stringContaining(address),
    });
    expect(delivery?.attempts[0]?.statusCode).toBeUndefined();
    expect(queue.sent).toHaveLength(1);
    expect(queue.deadLettered).toHaveLength(1);
  });
});

describe('fan-out and the worker', () => {
  it('creates one delivery per event and subscription however often the stream replays it', async () => {
    const { tenantId, queue, webhook, event } = await subscribedTenant();
    const fanOut = new WebhookFanOut(store, queue);
    expect(await fanOut.publish(event)).toBe(1);
    expect(await fanOut.publish(event)).toBe(1);
    const { deliveries } = await store.listDeliveries(tenantId, webhook.id, 10);
    expect(deliveries).toHaveLength(1);
    // Never attempted yet: the replay queues it again in case the first queueing was lost.
    expect(queue.sent).toHaveLength(2);
    const worker = new DeliveryWorker(store, secretBox, queue, {
      allowLocal: false,
      deliver: async () => ({ outcome: 'delivered', statusCode: 204, durationMs: 3, responseBody: '' }),
    });
    await worker.process(queue.sent[0]?.message as DeliveryMessage);
    await worker.process(queue.sent[1]?.message as DeliveryMessage);
    await fanOut.publish(event);
    expect(queue.sent).toHaveLength(2);
    expect(await store.getDelivery(tenantId, webhook.id, deliveries[0]?.id as string)).toMatchObject({
      status: 'delivered',
      attemptCount: 1,
    });
  });

  it("reads a tenant's subscriptions once for a batch of events, and delivers every event of it", async () => {
    const { tenantId, queue, webhook, event } = await subscribedTenant();
    let reads = 0;
    const counting = Object.assign(Object.create(store), {
      allWebhooks: (id: string) => {
        reads++;
        return store.allWebhooks(id);
      },
    }) as DynamoWebhookStore;
    const fanOut = new WebhookFanOut(counting, queue);
    const batch = new Map();
    const events = [1, 2, 3].map((sequence) => ({ ...event, id: `${event.id}${sequence}`, sequence }));
    for (const each of events) expect(await fanOut.publish(each, batch)).toBe(1);
    expect(reads).toBe(1);
    const { deliveries } = await store.listDeliveries(tenantId, webhook.id, 10);
    expect(deliveries.map((delivery) => delivery.sequence).sort()).toEqual([1, 2, 3]);
    expect(queue.sent).toHaveLength(3);
  });

  it('queues a retry for its due time, and re-queues a message that arrives early instead of sending', async () => {
    const { tenantId, queue, webhook, event } = await subscribedTenant();
    await new WebhookFanOut(store, queue).publish(event);
    const message = queue.sent[0]?.message as DeliveryMessage;
    let now = new Date('2030-01-01T00:00:00.000Z');
    let attempts = 0;
    const worker = new DeliveryWorker(store, secretBox, queue, {
      allowLocal: false,
      schedule: [3600_000],
      random: () => 0.5,
      clock: () => now,
      deliver: async () => {
        attempts++;
        return { outcome: 'retry', statusCode: 502, durationMs: 5, responseBody: 'bad gateway' };
      },
    });
    await worker.process(message);
    const retryAt = new Date(now.getTime() + 2700_000);
    expect(queue.sent.at(-1)).toEqual({ message, notBefore: retryAt });
    now = new Date(now.getTime() + 900_000);
    await worker.process(message);
    expect(attempts).toBe(1);
    expect(queue.sent.at(-1)).toEqual({ message, notBefore: retryAt });
    now = retryAt;
    await worker.process(message);
    expect(attempts).toBe(2);
    const delivery = await store.getDelivery(tenantId, webhook.id, message.deliveryId);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 2 });
    expect(queue.deadLettered.map((d) => d.reason)).toEqual(['last response 502']);
  });
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A tenant whose clock the test moves; each committed event is fanned out as the stream would. */
async function tenantWithClock(start: number, allowLocal = false) {
  const tenantId = `ten_${++tenantCount}`;
  const queue = new RecordingQueue();
  let now = start;
  const clock = () => new Date(now);
  const service = new WebhookService(store, secretBox, queue, { allowLocal, lookup: publicAddress }, clock);
  const fanOut = new WebhookFanOut(store, queue, clock);
  let sequence = 0;
  const commitEvent = async (orderId = 'ord_1', type = 'order.updated') => {
    const event = {
      id: newId('evt', now),
      type,
      tenantId,
      orderId,
      sequence: ++sequence,
      timestamp: clock().toISOString(),
    };
    await table.documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.orderEvent(tenantId, orderId, event.sequence),
          entity: 'event',
          ...event,
          actor: { type: 'system' },
          data: { order: { id: orderId }, sequence: event.sequence },
        },
      }),
    );
    await fanOut.publish(event);
    return event;
  };
  return {
    tenantId,
    queue,
    service,
    fanOut,
    clock,
    commitEvent,
    setTime: (at: number) => {
      now = at;
    },
  };
}

describe('secret rotation', () => {
  async function deliveredAfterRotation(rotatedHoursAgo: number) {
    const target = await startReceiver();
    try {
      const realNow = Date.now();
      const shop = await tenantWithClock(realNow - rotatedHoursAgo * HOUR - HOUR, true);
      const created = await shop.service.create(shop.tenantId, { url: target.url, events: ['*'] });
      shop.setTime(realNow - rotatedHoursAgo * HOUR);
      const rotated = await shop.service.rotateSecret(shop.tenantId, created.id);
      expect(rotated.previousSecretExpiresAt).toBe(
        new Date(realNow - rotatedHoursAgo * HOUR + DAY).toISOString(),
      );
      // Deliveries are signed at the real time: receivers check the timestamp against their clock.
      shop.setTime(realNow);
      await shop.commitEvent();
      const worker = new DeliveryWorker(store, secretBox, shop.queue, { allowLocal: true, schedule: [] });
      await worker.process(shop.queue.sent.at(-1)?.message as DeliveryMessage);
      const [received] = await target.waitFor(1);
      const verifies = (secret: string) => {
        try {
          new Webhook(secret).verify(received?.raw as string, received?.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      };
      return {
        signatures: String(received?.headers['webhook-signature']).split(' ').length,
        old: verifies(created.secret),
        new: verifies(rotated.secret),
      };
    } finally {
      await target.close();
    }
  }

  it('signs under the old and the new secret for 24 hours after a rotation', async () => {
    expect(await deliveredAfterRotation(23)).toEqual({ signatures: 2, old: true, new: true });
  });

  it('signs under the new secret only once the 24 hours are over', async () => {
    expect(await deliveredAfterRotation(25)).toEqual({ signatures: 1, old: false, new: true });
  });

  it('keeps the secret of the rotation that won when two race', async () => {
    const shop = await tenantWithClock(Date.now());
    const { id } = await shop.service.create(shop.tenantId, {
      url: 'https://hooks.example.com/x',
      events: ['*'],
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => shop.service.rotateSecret(shop.tenantId, id)),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const lost of results.filter((result) => result.status === 'rejected')) {
      expect(lost.reason).toMatchObject({ status: 409 });
    }
    const stored = await store.getWebhook(shop.tenantId, id);
    const secret = await secretBox.open(stored?.sealedSecret as string, {
      tenantId: shop.tenantId,
      webhookId: id,
    });
    expect(won.map((result) => result.value.secret)).toContain(secret);
  });
});

describe('disabling a failing endpoint', () => {
  const start = Date.parse('2030-01-01T00:00:00.000Z');
  let answer: 'retry' | 'delivered' = 'retry';
  const deliver = async () =>
    answer === 'delivered'
      ? { outcome: 'delivered' as const, statusCode: 204, durationMs: 1, responseBody: '' }
      : { outcome: 'retry' as const, statusCode: 500, durationMs: 1, responseBody: 'down' };

  it('disables it after 5 days of nothing but failures, and sends webhook.disabled to the other subscriptions', async () => {
    const shop = await tenantWithClock(start);
    const failing = await shop.service.create(shop.tenantId, {
      url: 'https://down.example.com/',
      events: ['*'],
    });
    const other = await shop.service.create(shop.tenantId, {
      url: 'https://ops.example.com/',
      events: ['webhook.disabled'],
    });
    const worker = new DeliveryWorker(store, secretBox, shop.queue, {
      allowLocal: false,
      schedule: [],
      deliver,
      clock: shop.clock,
    });
    const attemptAt = async (at: number, outcome: typeof answer) => {
      shop.setTime(at);
      answer = outcome;
      await shop.commitEvent();
      await worker.process(shop.queue.sent.at(-1)?.message as DeliveryMessage);
      return store.getWebhook(shop.tenantId, failing.id);
    };

    expect(await attemptAt(start, 'retry')).toMatchObject({
      status: 'active',
      failingSince: '2030-01-01T00:00:00.000Z',
    });
    expect((await attemptAt(start + 2 * DAY, 'delivered'))?.failingSince).toBeUndefined();
    await attemptAt(start + 3 * DAY, 'retry');
    expect(await attemptAt(start + 8 * DAY - 1, 'retry')).toMatchObject({
      status: 'active',
      failingSince: new Date(start + 3 * DAY).toISOString(),
    });
    expect(shop.queue.sent.filter(({ message }) => message.webhookId === other.id)).toEqual([]);

    const disabled = await attemptAt(start + 8 * DAY, 'retry');
    expect(disabled).toMatchObject({
      status: 'disabled',
      disabledAt: new Date(start + 8 * DAY).toISOString(),
    });
    expect(disabled?.disabledReason).toMatch(/every attempt failed from 2030-01-04T00:00:00.000Z for 5 days/);
    const event = await store.getEvent(shop.tenantId, failing.id, 1);
    expect(event).toMatchObject({ type: 'webhook.disabled', orderId: failing.id, actor: { type: 'system' } });
    expect(event?.data).toMatchObject({ sequence: 1, webhook: { id: failing.id, status: 'disabled' } });
    expect(JSON.stringify(event)).not.toContain(disabled?.sealedSecret as string);

    // The stream hands the committed event to fan-out: the other subscription gets it, the disabled one not.
    await shop.fanOut.publish({ ...(event as NonNullable<typeof event>), tenantId: shop.tenantId });
    const toOther = shop.queue.sent.filter(({ message }) => message.webhookId === other.id);
    expect(toOther).toHaveLength(1);
    const deliveryToOther = await store.getDelivery(
      shop.tenantId,
      other.id,
      toOther[0]?.message.deliveryId as string,
    );
    expect(deliveryToOther).toMatchObject({
      eventType: 'webhook.disabled',
      eventId: event?.id,
      status: 'pending',
    });
    const ownDeliveries = (await store.listDeliveries(shop.tenantId, failing.id, 50)).deliveries;
    expect(ownDeliveries.some((delivery) => delivery.eventId === event?.id)).toBe(false);

    // A later failure changes nothing more: one event per disabling.
    await attemptAt(start + 9 * DAY, 'retry');
    expect(await store.getEvent(shop.tenantId, failing.id, 2)).toBeUndefined();
  });

  it('keeps what a disabled subscription misses, and a recovery re-enables it and sends it all from the time asked', async () => {
    const shop = await tenantWithClock(start);
    const { id } = await shop.service.create(shop.tenantId, {
      url: 'https://down.example.com/',
      events: ['*'],
    });
    const before = await shop.commitEvent('ord_1');
    await store.disableWebhook(
      shop.tenantId,
      id,
      'the endpoint answered 410 Gone',
      shop.clock().toISOString(),
    );
    shop.setTime(start + HOUR);
    const missed = [await shop.commitEvent('ord_1'), await shop.commitEvent('ord_2')];
    const queued = shop.queue.sent.length;
    const stored = (await store.listDeliveries(shop.tenantId, id, 50)).deliveries;
    expect(stored.filter((delivery) => delivery.eventId !== before.id)).toHaveLength(2);
    for (const delivery of stored)
      expect(delivery.status).toBe(delivery.eventId === before.id ? 'pending' : 'failed');
    // The first was queued while active; what it missed was recorded, not queued.
    expect(queued).toBe(1);

    shop.setTime(start + 2 * HOUR);
    const recovery = await shop.service.recover(
      shop.tenantId,
      id,
      new Date(start + 30 * 60_000).toISOString(),
    );
    expect(recovery).toEqual({ requeued: 2 });
    expect(await store.getWebhook(shop.tenantId, id)).toMatchObject({ status: 'active' });
    expect((await store.getWebhook(shop.tenantId, id))?.disabledReason).toBeUndefined();
    const requeued = shop.queue.sent.slice(queued).map(({ message }) => message.orderId);
    expect(requeued.sort()).toEqual(missed.map((event) => event.orderId).sort());
    for (const event of missed) {
      const delivery = await store.getDelivery(shop.tenantId, id, `dlv_${event.id.slice(4)}`);
      expect(delivery).toMatchObject({
        status: 'pending',
        nextAttemptAt: new Date(start + 2 * HOUR).toISOString(),
      });
    }
  });
});
