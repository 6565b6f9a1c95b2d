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

/** Turns each committed event into one delivery per matching subscription and queues it. */
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
    const subscribers = (await subscriptions).filter(
      (webhook) => webhook.status === 'active' && matchesSubscription(event.type, webhook.events),
    );
    const now = this.clock().toISOString();
    await Promise.all(
      subscribers.map(async (webhook) => {
        const draft: DeliveryRecord = {
          id: deliveryIdOf(event.id),
          tenantId: event.tenantId,
          webhookId: webhook.id,
          eventId: event.id,
          eventType: event.type,
          orderId: event.orderId,
          sequence: event.sequence,
          status: 'pending',
          attemptCount: 0,
          seriesAttempts: 0,
          nextAttemptAt: now,
          attempts: [],
          createdAt: now,
          updatedAt: now,
        };
        const { created, delivery } = await this.store.createDelivery(draft);
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
    );
    return subscribers.length;
  }
}
