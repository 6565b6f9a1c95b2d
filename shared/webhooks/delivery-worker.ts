import { buildEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import type { OrderEvent } from '../orders/schema.js';
import { type DeliveryRequest, type DeliveryResult, deliverOnce } from './deliver.js';
import type { DeliveryMessage, DeliveryQueue } from './delivery-queue.js';
import type { EventEnvelope } from './envelope.js';
import { defaultRetryScheduleMs, nextAttemptAt } from './retry-schedule.js';
import type { SecretBox } from './secret-box.js';
import { toWebhook } from './subscriptions.js';
import type { HostLookup } from './url-safety.js';
import type { AttemptResult, DeliveryRecord, WebhookRecord, WebhookStore } from './webhook-store.js';

export interface DeliveryWorkerOptions {
  allowLocal: boolean;
  /** Delays before each retry; the first attempt is immediate. */
  schedule?: readonly number[];
  /** events.md: a 2xx within 10 s is success. */
  timeoutMs?: number;
  lookup?: HostLookup;
  random?: () => number;
  clock?: () => Date;
  deliver?: (request: DeliveryRequest) => Promise<DeliveryResult>;
}

/** events.md: an endpoint that has failed every attempt for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60 * 1000;

/** A message may arrive this much before its attempt is due (queues count delay in whole seconds). */
const EARLY_TOLERANCE_MS = 1000;

export function envelopeOf(tenantId: string, event: OrderEvent): EventEnvelope {
  return { id: event.id, type: event.type, tenantId, timestamp: event.timestamp, data: event.data };
}

/**
 * Makes one attempt of a queued delivery and decides what follows: done, a retry queued for
 * later, or failed. The delivery record is the truth; a message is only a wake-up call, so
 * duplicates and stale messages are skipped, and a crash after logging an attempt but before
 * queueing the retry is repaired by the message being redelivered.
 */
export class DeliveryWorker {
  private readonly schedule: readonly number[];
  private readonly clock: () => Date;

  constructor(
    private readonly store: WebhookStore,
    private readonly secrets: SecretBox,
    private readonly queue: DeliveryQueue,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.schedule = options.schedule ?? defaultRetryScheduleMs;
    this.clock = options.clock ?? (() => new Date());
  }

  async process(message: DeliveryMessage): Promise<void> {
    const { tenantId, webhookId, deliveryId } = message;
    const delivery = await this.store.getDelivery(tenantId, webhookId, deliveryId);
    if (delivery?.status !== 'pending') return;
    const dueAt = delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt) : this.clock();
    if (dueAt.getTime() - this.clock().getTime() > EARLY_TOLERANCE_MS) {
      // Early: the queue could not hold the message that long, or this is an outdated copy.
      await this.queue.send(message, dueAt);
      return;
    }
    const webhook = await this.store.getWebhook(tenantId, webhookId);
    if (!webhook) return this.finishWithoutSending(delivery, 'the subscription was deleted');
    if (webhook.status === 'disabled') {
      return this.finishWithoutSending(delivery, `the subscription is disabled (${webhook.disabledReason})`);
    }
    const event = await this.store.getEvent(tenantId, delivery.orderId, delivery.sequence);
    if (!event) return this.finishWithoutSending(delivery, 'the event no longer exists');
    await this.attempt(message, delivery, webhook, event);
  }

  private async attempt(
    message: DeliveryMessage,
    delivery: DeliveryRecord,
    webhook: WebhookRecord,
    event: OrderEvent,
  ): Promise<void> {
    const startedAt = this.clock();
    const context = { tenantId: webhook.tenantId, webhookId: webhook.id };
    const secret = await this.secrets.open(webhook.sealedSecret, context);
    const previous = overlapping(webhook, startedAt);
    const result = await (this.options.deliver ?? deliverOnce)({
      url: webhook.url,
      secret,
      ...(previous ? { previousSecret: await this.secrets.open(previous, context) } : {}),
      eventId: event.id,
      body: JSON.stringify(envelopeOf(webhook.tenantId, event)),
      allowLocal: this.options.allowLocal,
      lookup: this.options.lookup,
      timeoutMs: this.options.timeoutMs,
      now: startedAt,
    });
    const now = this.clock();
    const retryAt =
      result.outcome === 'retry'
        ? nextAttemptAt(
            delivery.seriesAttempts + 1,
            now,
            this.schedule,
            this.options.random,
            result.retryAfterSeconds,
          )
        : null;
    const status = result.outcome === 'delivered' ? 'delivered' : retryAt ? 'pending' : 'failed';
    const outcome: AttemptResult = {
      status,
      attempt: {
        attempt: delivery.attemptCount + 1,
        at: startedAt.toISOString(),
        outcome: result.outcome,
        ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
        durationMs: result.durationMs,
        responseBody: result.responseBody,
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(retryAt ? { nextAttemptAt: retryAt.toISOString() } : {}),
      },
      ...(retryAt ? { nextAttemptAt: retryAt.toISOString() } : {}),
    };
    // A concurrent copy of this message got there first and owns what follows.
    if (!(await this.store.recordAttempt(delivery, outcome, now.toISOString()))) return;
    if (result.outcome === 'gone') {
      await this.store.disableWebhook(
        webhook.tenantId,
        webhook.id,
        'the endpoint answered 410 Gone',
        now.toISOString(),
      );
    }
    await this.trackHealth(webhook, result.outcome, startedAt, now);
    if (retryAt) await this.queue.send(message, retryAt);
    else if (status === 'failed' && result.outcome !== 'gone') {
      await this.queue.deadLetter(message, result.error ?? `last response ${result.statusCode ?? 'none'}`);
    }
  }

  /**
   * Keeps the subscription's run of failures: a success ends it, the first failure starts it,
   * and a failure 5 days into it disables the subscription (events.md, Delivery). Only a
   * change of state is written, so a healthy endpoint costs no write per attempt.
   */
  private async trackHealth(
    webhook: WebhookRecord,
    outcome: DeliveryResult['outcome'],
    attemptedAt: Date,
    now: Date,
  ): Promise<void> {
    const { tenantId, id, failingSince } = webhook;
    if (outcome === 'delivered') {
      if (failingSince) await this.store.markHealthy(tenantId, id);
      return;
    }
    // A 410 has disabled the subscription already.
    if (outcome === 'gone') return;
    if (!failingSince) {
      await this.store.markFailing(tenantId, id, attemptedAt.toISOString());
      return;
    }
    if (now.getTime() - Date.parse(failingSince) < DISABLE_AFTER_FAILING_MS) return;
    await this.disableFailing(webhook, failingSince, now);
  }

  /** Disables the subscription and commits its `webhook.disabled` event, which fan-out sends to the others. */
  private async disableFailing(webhook: WebhookRecord, failingSince: string, now: Date): Promise<void> {
    const at = now.toISOString();
    const reason = `every attempt failed from ${failingSince} for 5 days`;
    const disabled = toWebhook({ ...webhook, status: 'disabled', disabledReason: reason, disabledAt: at });
    const { type, actor, data } = buildEvent('webhook.disabled', { type: 'system' }, { webhook: disabled });
    const sequence = (webhook.disabledCount ?? 0) + 1;
    const event: OrderEvent = {
      id: newId('evt', now.getTime()),
      type,
      sequence,
      // A subscription's own events are numbered in its own history, as an order's are.
      orderId: webhook.id,
      timestamp: at,
      actor,
      data: { ...data, sequence },
    };
    const threshold = new Date(now.getTime() - DISABLE_AFTER_FAILING_MS).toISOString();
    await this.store.disableFailing(webhook, threshold, reason, at, event);
  }

  private async finishWithoutSending(delivery: DeliveryRecord, reason: string): Promise<void> {
    const now = this.clock().toISOString();
    await this.store.recordAttempt(
      delivery,
      {
        status: 'failed',
        attempt: {
          attempt: delivery.attemptCount + 1,
          at: now,
          outcome: 'refused',
          durationMs: 0,
          responseBody: '',
          error: `not sent: ${reason}`,
        },
      },
      now,
    );
  }
}

/** The secret before the last rotation, while it still signs (24 h after the rotation). */
function overlapping(webhook: WebhookRecord, at: Date): string | undefined {
  const { previousSealedSecret, previousSecretExpiresAt } = webhook;
  if (!previousSealedSecret || !previousSecretExpiresAt) return undefined;
  return Date.parse(previousSecretExpiresAt) > at.getTime() ? previousSealedSecret : undefined;
}
