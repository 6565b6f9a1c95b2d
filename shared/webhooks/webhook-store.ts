import type { PageKey } from '../orders/order-store.js';
import type { OrderEvent } from '../orders/schema.js';
import type { Delivery, DeliveryAttempt, Webhook } from './schema.js';

export interface WebhookRecord extends Webhook {
  tenantId: string;
  /** The signing secret as the SecretBox sealed it; never stored in the clear. */
  sealedSecret: string;
  /** The secret before the last rotation, sealed; it signs too until `previousSecretExpiresAt`. */
  previousSealedSecret?: string;
  /** How often it was disabled for failing: numbers its `webhook.disabled` events. */
  disabledCount?: number;
}

/** A rotation: the new sealed secret, and the one it replaces, signing until `expiresAt`. */
export interface SecretRotation {
  sealedSecret: string;
  previousSealedSecret: string;
  expiresAt: string;
}

export interface DeliveryRecord extends Delivery {
  tenantId: string;
  /** Attempts in the current series (a redelivery starts a new one): where the retry schedule stands. */
  seriesAttempts: number;
}

/** What an attempt changes on its delivery. */
export interface AttemptResult {
  attempt: DeliveryAttempt;
  status: DeliveryRecord['status'];
  nextAttemptAt?: string;
}

/** How many attempts a delivery keeps in its log; older ones are dropped. */
export const KEPT_ATTEMPTS = 25;

export interface WebhookStore {
  createWebhook(webhook: WebhookRecord): Promise<void>;
  getWebhook(tenantId: string, webhookId: string): Promise<WebhookRecord | undefined>;
  /** Newest first. */
  listWebhooks(
    tenantId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ webhooks: WebhookRecord[]; lastKey?: PageKey }>;
  /** Every subscription of the tenant, for fan-out. */
  allWebhooks(tenantId: string): Promise<WebhookRecord[]>;
  /** False when there was no such subscription. */
  deleteWebhook(tenantId: string, webhookId: string): Promise<boolean>;
  disableWebhook(tenantId: string, webhookId: string, reason: string, at: string): Promise<void>;
  /** False when the secret is no longer `expectedSealedSecret` (another rotation won) or the subscription is gone. */
  rotateSecret(webhook: WebhookRecord, rotation: SecretRotation): Promise<boolean>;
  /** Notes the first failed attempt of a run of failures; a later call keeps the earliest time. */
  markFailing(tenantId: string, webhookId: string, at: string): Promise<void>;
  /** A delivery succeeded: the run of failures is over. */
  markHealthy(tenantId: string, webhookId: string): Promise<void>;
  /**
   * Disables an active subscription that has been failing since `failingSince` or before, and
   * commits `event` (its `webhook.disabled`, numbered by `disabledCount`) in the same
   * transaction, so the event exists exactly when the subscription was disabled. False when it
   * was not (already disabled, recovered meanwhile, gone).
   */
  disableFailing(
    webhook: WebhookRecord,
    failingSince: string,
    reason: string,
    at: string,
    event: OrderEvent,
  ): Promise<boolean>;
  /** Active again after a recovery: the failures and the reason it was disabled are cleared. */
  enableWebhook(tenantId: string, webhookId: string): Promise<void>;
  /** Deliveries with ids from `fromDeliveryId` on, oldest first. */
  deliveriesFrom(
    tenantId: string,
    webhookId: string,
    fromDeliveryId: string,
    limit: number,
  ): Promise<DeliveryRecord[]>;
  /**
   * Creates the delivery unless the subscription already has one for the same event (a
   * replayed stream record); answers whichever is stored.
   */
  createDelivery(delivery: DeliveryRecord): Promise<{ created: boolean; delivery: DeliveryRecord }>;
  getDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Newest first. */
  listDeliveries(
    tenantId: string,
    webhookId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ deliveries: DeliveryRecord[]; lastKey?: PageKey }>;
  /**
   * Logs an attempt if the delivery is still pending after `delivery.attemptCount` attempts;
   * false when a concurrent duplicate of the message recorded first.
   */
  recordAttempt(delivery: DeliveryRecord, result: AttemptResult, now: string): Promise<boolean>;
  /** Starts a new series of attempts, due now; undefined when there is no such delivery. */
  restartDelivery(
    tenantId: string,
    webhookId: string,
    deliveryId: string,
    now: string,
  ): Promise<DeliveryRecord | undefined>;
  /** The history event a delivery sends. */
  getEvent(tenantId: string, orderId: string, sequence: number): Promise<OrderEvent | undefined>;
}
