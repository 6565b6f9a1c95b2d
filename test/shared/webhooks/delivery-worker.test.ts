import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoWebhookStore } from '../../../shared/adapters/dynamodb/webhook-store.js';
import { AesGcmSecretBox } from '../../../shared/adapters/node/aes-gcm-secret-box.js';
import { keys } from '../../../shared/table.js';
import type { DeliveryMessage, DeliveryQueue } from '../../../shared/webhooks/delivery-queue.js';
import { DeliveryWorker } from '../../../shared/webhooks/delivery-worker.js';
import { WebhookFanOut } from '../../../shared/webhooks/fan-out.js';
import { WebhookService } from '../../../shared/webhooks/subscriptions.js';
import type { HostLookup } from '../../../shared/webhooks/url-safety.js';
import { useDynamoTable } from '../../support/dynamodb-table.js';

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
    const observed: unknown[] = [];
    const worker = new DeliveryWorker(store, secretBox, queue, {
      allowLocal: false,
      schedule: [3600_000],
      random: () => 0.5,
      clock: () => now,
      onAttempt: (attempt) => observed.push(attempt),
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
    // Two attempts made; the early copy in between made none.
    const sinceEvent = (at: Date) => at.getTime() - Date.parse(event.timestamp);
    expect(observed).toEqual([
      { outcome: 'retry', durationMs: 5, sinceEventMs: sinceEvent(new Date('2030-01-01T00:00:00.000Z')) },
      { outcome: 'retry', durationMs: 5, sinceEventMs: sinceEvent(retryAt) },
    ]);
  });
});
