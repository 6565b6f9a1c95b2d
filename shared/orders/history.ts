import type { NewEvent } from '../events/catalog.js';
import { newId } from '../ids.js';
import type { Order, OrderEvent } from './schema.js';

/** The order's next history events, numbered on from `firstSequence`. */
export function numberedEvents(
  order: Order,
  firstSequence: number,
  events: NewEvent[],
  now: string,
): OrderEvent[] {
  return events.map((event, index) => {
    const sequence = firstSequence + index;
    return {
      id: newId('evt'),
      type: event.type,
      sequence,
      orderId: order.id,
      timestamp: now,
      actor: event.actor,
      data: { ...event.data, sequence },
    };
  });
}
