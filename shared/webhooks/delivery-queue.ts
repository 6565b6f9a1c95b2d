import * as z from 'zod';

/** What the delivery queue carries: which delivery to attempt. Its state lives in the table. */
export const DeliveryMessage = z.object({
  tenantId: z.string().min(1),
  webhookId: z.string().min(1),
  deliveryId: z.string().min(1),
  /** Deliveries of one order to one endpoint are attempted one at a time, in the order queued. */
  orderId: z.string().min(1),
});
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;

/**
 * The queue between fan-out and delivery (SQS on AWS, a table-backed queue locally).
 * At-least-once: a message may arrive twice, which the worker tolerates.
 */
export interface DeliveryQueue {
  /** Queues an attempt of the delivery, to be made no sooner than `notBefore` (default: now). */
  send(message: DeliveryMessage, notBefore?: Date): Promise<void>;
  /** Hands a delivery that failed its last attempt to operators; it stays redeliverable through the API. */
  deadLetter(message: DeliveryMessage, reason: string): Promise<void>;
}
