import type { DeliveryQueue } from './delivery-queue.js';
import { matchesSubscription } from './envelope.js';
import type { DeliveryRecord, WebhookRecord, WebhookStore } from './webhook-store.js';

/** A committed history event as the table's stream reports it. */
export interface CommittedEvent {
  id: string;
  type: string;
  tenantId: string;
  orderId: string;
  sequence: number;
  timestamp: string;
}

/**
 * A delivery is keyed by its event within its subscription (`dlv_` + the event's time-sortable
 * id), so a replayed stream record finds the delivery it already created.
 */
export function deliveryIdOf(eventId: string): string {
  return `dlv_${eventId.slice(eventId.indexOf('_') + 1)}`;
}

/**
 * Each tenant's subscriptions, read once for a whole batch of stream records. Every event of
 * a batch committed before the batch was read, so one read after that sees every
 * subscription a read per event would have seen.
 */
export type SubscriptionsOfBatch = Map<string, Promise<WebhookRecord[]>>;

/**
 * How long a disabled subscription keeps a record of each event it misses (a delivery that
 * was not sent), for a recovery to send; a subscription abandoned longer costs nothing more.
 */
export const MISSED_EVENTS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Turns each committed event into one delivery per matching subscription and queues it. A
 * recently disabled subscription gets the delivery too, recorded as not sent and not queued.
 */
export class WebhookFanOut {
  constructor(
    private readonly store: WebhookStore,
    private readonly queue: DeliveryQueue,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Answers how many subscriptions the event goes to. Safe to repeat for the same event. */
  async publish(event: CommittedEvent, batch: SubscriptionsOfBatch = new Map()): Promise<number> {
    let subscriptions = batch.get(event.tenantId);
    if (!subscriptions) {
      subscriptions = this.store.allWebhooks(event.tenantId);
      batch.set(event.tenantId, subscriptions);
    }
    const clock = this.clock();
    const now = clock.toISOString();
    const missing = (webhook: WebhookRecord) =>
      webhook.status === 'disabled' &&
      clock.getTime() - Date.parse(webhook.disabledAt ?? now) < MISSED_EVENTS_KEPT_MS &&
      // Its own webhook.disabled event goes to the others only.
      event.orderId !== webhook.id;
    const matching = (await subscriptions).filter((webhook) =>
      matchesSubscription(event.type, webhook.events),
    );
    const subscribers = matching.filter((webhook) => webhook.status === 'active');
    await Promise.all([
      ...matching
        .filter(missing)
        .map((webhook) => this.store.createDelivery(deliveryOf(event, webhook, now, 'failed'))),
      ...subscribers.map(async (webhook) => {
        const { created, delivery } = await this.store.createDelivery(
          deliveryOf(event, webhook, now, 'pending'),
        );
        // A replay after a crash between storing and queueing must still queue it; a
        // duplicate message for an attempted delivery is harmless (the worker skips it).
        if (created || (delivery.status === 'pending' && delivery.attemptCount === 0)) {
          await this.queue.send({
            tenantId: event.tenantId,
            webhookId: webhook.id,
            deliveryId: delivery.id,
            orderId: event.orderId,
          });
        }
      }),
    ]);
    return subscribers.length;
  }
}

/**
 * The event's delivery to one subscription: `pending` and due now, or `failed` with nothing
 * sent for what a disabled subscription missed, which a recovery restarts.
 */
function deliveryOf(
  event: CommittedEvent,
  webhook: WebhookRecord,
  now: string,
  status: 'pending' | 'failed',
): DeliveryRecord {
  return {
    id: deliveryIdOf(event.id),
    tenantId: event.tenantId,
    webhookId: webhook.id,
    eventId: event.id,
    eventType: event.type,
    orderId: event.orderId,
    sequence: event.sequence,
    status,
    attemptCount: 0,
    seriesAttempts: 0,
    ...(status === 'pending' ? { nextAttemptAt: now } : {}),
    attempts: [],
    createdAt: now,
    updatedAt: now,
  };
}
