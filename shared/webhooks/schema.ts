import * as z from 'zod';
import { eventFilterSchema } from '../events/catalog.js';
import { checkUrlSyntax, maxUrlLength } from './url-safety.js';

export const CreateWebhookRequest = z.strictObject({
  url: z
    .string()
    .max(maxUrlLength)
    // The lenient check (local URLs allowed) runs here so that one answer lists every problem;
    // the service repeats it with the runtime's real setting.
    .superRefine((url, ctx) => {
      const syntax = checkUrlSyntax(url, { allowLocal: true });
      if (!syntax.ok) for (const message of syntax.problems) ctx.addIssue({ code: 'custom', message });
    })
    .describe('https:// endpoint that receives the events.'),
  events: z
    .array(eventFilterSchema)
    .min(1)
    .max(50)
    .describe('Event types to receive, or "*" for all of them.'),
});
export type CreateWebhookRequest = z.output<typeof CreateWebhookRequest>;

export const Webhook = z.object({
  id: z.string().describe('wh_ followed by a time-sortable id.'),
  url: z.string(),
  events: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  disabledReason: z.string().optional(),
  createdAt: z.iso.datetime(),
  disabledAt: z.iso.datetime().optional(),
  failingSince: z.iso
    .datetime()
    .optional()
    .describe('Every attempt since then failed; 5 days of it disable the subscription.'),
  previousSecretExpiresAt: z.iso
    .datetime()
    .optional()
    .describe('Until then deliveries are signed under the secret before the last rotation too.'),
});
export type Webhook = z.infer<typeof Webhook>;

export const CreatedWebhook = Webhook.extend({
  secret: z.string().describe('whsec_ signing secret; answered only here, once.'),
});

export const RotatedSecret = z.object({
  id: z.string(),
  secret: z.string().describe('The new whsec_ signing secret; answered only here, once.'),
  previousSecretExpiresAt: z.iso
    .datetime()
    .describe('Until then deliveries carry a signature under the previous secret too.'),
});
export type RotatedSecret = z.infer<typeof RotatedSecret>;

export const RecoverRequest = z.strictObject({
  since: z.iso
    .datetime({ offset: true })
    .describe('Re-queue every event of the subscription from this time on.'),
});
export type RecoverRequest = z.output<typeof RecoverRequest>;

/** One recovery call re-queues at most this many deliveries, so the call stays short. */
export const MAX_RECOVERED_PER_CALL = 500;

export const Recovery = z.object({
  requeued: z.int().min(0).describe('Deliveries queued again.'),
  nextSince: z.iso
    .datetime()
    .optional()
    .describe(
      `More remain (one call re-queues at most ${MAX_RECOVERED_PER_CALL}): recover again from this time.`,
    ),
});
export type Recovery = z.infer<typeof Recovery>;

export const DeliveryAttempt = z.object({
  attempt: z.int().min(1),
  at: z.iso.datetime(),
  outcome: z.enum(['delivered', 'retry', 'gone', 'refused']),
  statusCode: z.int().optional(),
  durationMs: z.int().min(0),
  responseBody: z.string().describe('The first KiB of the response body.'),
  error: z.string().optional(),
  nextAttemptAt: z.iso.datetime().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string().describe('Also the webhook-id header of every attempt.'),
  eventType: z.string(),
  orderId: z
    .string()
    .describe("The order whose event it sends; for webhook.disabled, the disabled subscription's id."),
  sequence: z.int().min(1),
  status: z.enum(['pending', 'delivered', 'failed']),
  attemptCount: z.int().min(0),
  nextAttemptAt: z.iso.datetime().optional(),
  attempts: z.array(DeliveryAttempt).describe('The latest attempts, oldest first.'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Delivery = z.infer<typeof Delivery>;
