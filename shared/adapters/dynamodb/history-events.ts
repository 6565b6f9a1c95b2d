import type { NewEvent } from '../../events/catalog.js';
import { newId } from '../../ids.js';
import type { Order, OrderEvent } from '../../orders/schema.js';
import { ENTITY_ATTRIBUTE, keys, recordTypes } from '../../table.js';
import { pack, unpack } from './packing.js';

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

/** A history event as its item: its data (an order snapshot, mostly) packed, the rest readable. */
export function eventItem(tenantId: string, event: OrderEvent): Record<string, unknown> {
  return {
    ...keys.orderEvent(tenantId, event.orderId, event.sequence),
    [ENTITY_ATTRIBUTE]: recordTypes.event,
    tenantId,
    ...event,
    data: pack(event.data),
  };
}

/** The history event an item holds. */
export function eventOf(item: Record<string, unknown>): OrderEvent {
  const { pk: _pk, sk: _sk, entity: _entity, tenantId: _tenantId, data, ...event } = item;
  return { ...event, data: unpack(data) } as OrderEvent;
}
