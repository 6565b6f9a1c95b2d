/**
 * Standard Webhooks signing (https://www.standardwebhooks.com). Signatures come from the
 * reference library itself, so any Standard Webhooks verifier accepts them unchanged.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const webhookSecretPrefix = 'whsec_';

/** 256 bits of key material, the security level of HMAC-SHA256. */
const secretBytes = 32;

export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function generateWebhookSecret(): string {
  return `${webhookSecretPrefix}${randomBytes(secretBytes).toString('base64')}`;
}

/**
 * The headers for one delivery attempt. `id` is the event id (stable across retries, so
 * receivers can deduplicate); `body` must be the exact bytes that are sent. Each secret adds
 * its `v1,…` signature, space-separated as Standard Webhooks allows: during a rotation's
 * overlap a receiver holding either secret verifies the request.
 * Throws when a secret is not a `whsec_`-prefixed base64 key.
 */
export function signDelivery(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): WebhookSignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' '),
  };
}
