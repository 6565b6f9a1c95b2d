/**
 * The event envelope every webhook delivers (spec/events.md) and the subscription filter
 * that decides which endpoints receive an event.
 */
import * as z from 'zod';

export const eventTypes = {
  orderCreated: 'order.created',
  orderUpdated: 'order.updated',
  orderStageChanged: 'order.stage_changed',
  orderShipped: 'order.shipped',
  orderActionFailed: 'order.action_failed',
} as const;

export type BuiltInEventType = (typeof eventTypes)[keyof typeof eventTypes];

/** The subscription filter that matches every event type. */
export const allEventTypes = '*';

/** Custom types come from a workflow's `emits` and `notify`; spec/workflow-format.md sets their form. */
export const customEventTypePattern = /^[a-z][a-z0-9_.]{2,63}$/;

export const eventTypeSchema = z
  .string()
  .regex(customEventTypePattern, 'an event type such as order.shipped');

/** One entry of a subscription's `events`: an event type or `*`. */
export const eventFilterSchema = z.union([z.literal(allEventTypes), eventTypeSchema]);

export const eventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: eventTypeSchema,
  tenantId: z.string().min(1),
  timestamp: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});

export type EventEnvelope<Data extends Record<string, unknown> = Record<string, unknown>> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'data'
> & { data: Data };

export function matchesSubscription(eventType: string, filters: readonly string[]): boolean {
  return filters.some((filter) => filter === allEventTypes || filter === eventType);
}
