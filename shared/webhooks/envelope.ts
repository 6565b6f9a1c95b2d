/**
 * The event envelope every webhook delivers (spec/events.md) and the subscription filter
 * that decides which endpoints receive an event.
 */
import * as z from 'zod';
import { ALL_EVENT_TYPES, eventTypeSchema } from '../events/catalog.js';

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
  return filters.some((filter) => filter === ALL_EVENT_TYPES || filter === eventType);
}
