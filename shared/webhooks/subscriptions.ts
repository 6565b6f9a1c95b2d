import { firstIdAt, idTime, newId } from '../ids.js';
import type { PageKey } from '../orders/order-store.js';
import { ProblemError, problems } from '../problem.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { deliveryIdOf } from './fan-out.js';
import {
  type CreateWebhookRequest,
  type Delivery,
  MAX_RECOVERED_PER_CALL,
  type Recovery,
  type RotatedSecret,
  type Webhook,
} from './schema.js';
import type { SecretBox } from './secret-box.js';
import { generateWebhookSecret } from './signing.js';
import { checkUrlSyntax, type HostLookup, resolveSafeTarget } from './url-safety.js';
import type { DeliveryRecord, WebhookRecord, WebhookStore } from './webhook-store.js';

export interface WebhookServiceOptions {
  /** Lets subscriptions point at http://127.0.0.1 (local stack only). */
  allowLocal: boolean;
  lookup?: HostLookup;
  /** A name server that does not answer in time is not a reason to refuse the subscription. */
  resolveTimeoutMs?: number;
}

export function toWebhook({
  tenantId: _tenantId,
  sealedSecret: _sealed,
  previousSealedSecret: _previous,
  disabledCount: _disabledCount,
  ...webhook
}: WebhookRecord): Webhook {
  return webhook;
}

export function toDelivery({
  tenantId: _tenantId,
  seriesAttempts: _series,
  ...delivery
}: DeliveryRecord): Delivery {
  return delivery;
}

/**
 * Subscriptions per tenant: with the delivery queue's per-tenant share this bounds how much of
 * the delivery capacity one tenant's endpoints can hold.
 */
export const MAX_SUBSCRIPTIONS_PER_TENANT = 25;

/** events.md: after a rotation, deliveries carry a signature under the previous secret this long. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** How many recovered deliveries are re-queued at once. */
const RECOVERY_CONCURRENCY = 10;

/** Webhook subscriptions and their deliveries as the API manages them. */
export class WebhookService {
  constructor(
    private readonly store: WebhookStore,
    private readonly secrets: SecretBox,
    private readonly queue: DeliveryQueue,
    private readonly options: WebhookServiceOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Answers the signing secret; this is the only time it leaves the service in the clear. */
  async create(tenantId: string, request: CreateWebhookRequest): Promise<Webhook & { secret: string }> {
    await this.assertSafe(request.url);
    const existing = await this.store.listWebhooks(tenantId, MAX_SUBSCRIPTIONS_PER_TENANT);
    if (existing.webhooks.length >= MAX_SUBSCRIPTIONS_PER_TENANT) {
      throw new ProblemError(
        422,
        'too-many-webhooks',
        `A tenant has at most ${MAX_SUBSCRIPTIONS_PER_TENANT} webhook subscriptions; delete one first.`,
        { extensions: { limit: MAX_SUBSCRIPTIONS_PER_TENANT } },
      );
    }
    const now = this.clock();
    const id = newId('wh', now.getTime());
    const secret = generateWebhookSecret();
    const record: WebhookRecord = {
      id,
      tenantId,
      url: request.url,
      events: [...new Set(request.events)],
      status: 'active',
      createdAt: now.toISOString(),
      sealedSecret: await this.secrets.seal(secret, { tenantId, webhookId: id }),
    };
    await this.store.createWebhook(record);
    return { ...toWebhook(record), secret };
  }

  async list(tenantId: string, limit: number, after?: PageKey) {
    const page = await this.store.listWebhooks(tenantId, limit, after);
    return { webhooks: page.webhooks.map(toWebhook), lastKey: page.lastKey };
  }

  async delete(tenantId: string, webhookId: string): Promise<void> {
    if (!(await this.store.deleteWebhook(tenantId, webhookId)))
      throw problems.notFound(`Webhook ${webhookId}`);
  }

  async deliveries(tenantId: string, webhookId: string, limit: number, after?: PageKey) {
    await this.existing(tenantId, webhookId);
    const page = await this.store.listDeliveries(tenantId, webhookId, limit, after);
    return { deliveries: page.deliveries.map(toDelivery), lastKey: page.lastKey };
  }

  /** Sends the delivery again with a fresh retry schedule, whatever became of it before. */
  async redeliver(tenantId: string, webhookId: string, deliveryId: string): Promise<Delivery> {
    const webhook = await this.existing(tenantId, webhookId);
    if (webhook.status === 'disabled') {
      throw problems.conflict(
        `Webhook ${webhookId} is disabled (${webhook.disabledReason}); recover it (POST /v1/webhooks/${webhookId}/recover) to send again.`,
      );
    }
    const delivery = await this.store.restartDelivery(
      tenantId,
      webhookId,
      deliveryId,
      this.clock().toISOString(),
    );
    if (!delivery) throw problems.notFound(`Delivery ${deliveryId}`);
    await this.queue.send({ tenantId, webhookId, deliveryId, orderId: delivery.orderId });
    return toDelivery(delivery);
  }

  /**
   * A new signing secret, answered once. For 24 hours deliveries are signed under both, so
   * receivers can switch without losing one; a second rotation within them drops the oldest.
   */
  async rotateSecret(tenantId: string, webhookId: string): Promise<RotatedSecret> {
    const webhook = await this.existing(tenantId, webhookId);
    const secret = generateWebhookSecret();
    const expiresAt = new Date(this.clock().getTime() + ROTATION_OVERLAP_MS).toISOString();
    const rotated = await this.store.rotateSecret(webhook, {
      sealedSecret: await this.secrets.seal(secret, { tenantId, webhookId }),
      previousSealedSecret: webhook.sealedSecret,
      expiresAt,
    });
    if (!rotated)
      throw problems.concurrentChange('The secret was rotated by another request at the same time; retry.');
    return { id: webhookId, secret, previousSecretExpiresAt: expiresAt };
  }

  /**
   * Queues again every delivery of the subscription for events from `since` on (those it
   * missed while disabled included), re-enabling it first; deliveries still pending keep their
   * schedule. At most MAX_RECOVERED_PER_CALL per call: `nextSince` says where to go on.
   */
  async recover(tenantId: string, webhookId: string, since: string): Promise<Recovery> {
    const webhook = await this.existing(tenantId, webhookId);
    if (webhook.status === 'disabled') await this.store.enableWebhook(tenantId, webhookId);
    const from = deliveryIdOf(firstIdAt('evt', Date.parse(since)));
    const found = await this.store.deliveriesFrom(tenantId, webhookId, from, MAX_RECOVERED_PER_CALL + 1);
    const batch = found.slice(0, MAX_RECOVERED_PER_CALL).filter((delivery) => delivery.status !== 'pending');
    const now = this.clock().toISOString();
    for (let start = 0; start < batch.length; start += RECOVERY_CONCURRENCY) {
      await Promise.all(
        batch.slice(start, start + RECOVERY_CONCURRENCY).map(async (delivery) => {
          const restarted = await this.store.restartDelivery(tenantId, webhookId, delivery.id, now);
          if (restarted) {
            await this.queue.send({
              tenantId,
              webhookId,
              deliveryId: delivery.id,
              orderId: delivery.orderId,
            });
          }
        }),
      );
    }
    const next = found[MAX_RECOVERED_PER_CALL];
    // The next delivery's event time, not its creation: deliveries sort by their event's id.
    return {
      requeued: batch.length,
      ...(next ? { nextSince: new Date(idTime(next.id)).toISOString() } : {}),
    };
  }

  private async existing(tenantId: string, webhookId: string): Promise<WebhookRecord> {
    const webhook = await this.store.getWebhook(tenantId, webhookId);
    if (!webhook) throw problems.notFound(`Webhook ${webhookId}`);
    return webhook;
  }

  /**
   * Refuses URLs that are unsafe by form, or whose host resolves to a forbidden address now.
   * A host that does not resolve (yet) is accepted: every delivery checks again.
   */
  private async assertSafe(url: string): Promise<void> {
    const { allowLocal, lookup, resolveTimeoutMs = 2000 } = this.options;
    const syntax = checkUrlSyntax(url, { allowLocal });
    const unsafe = syntax.ok
      ? await this.unsafeResolution(url, allowLocal, lookup, resolveTimeoutMs)
      : syntax.problems;
    if (unsafe.length > 0) {
      throw problems.validation(
        unsafe.map((message) => ({ path: '/url', message })),
        'The webhook URL is not allowed.',
      );
    }
  }

  private async unsafeResolution(
    url: string,
    allowLocal: boolean,
    lookup: HostLookup | undefined,
    timeoutMs: number,
  ): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const target = await Promise.race([resolveSafeTarget(url, { allowLocal, lookup }), timeout]);
      return target && !target.ok && target.reason === 'unsafe' ? target.problems : [];
    } finally {
      clearTimeout(timer);
    }
  }
}
