import { describe, expect, it } from 'vitest';
import { eventEnvelopeSchema, matchesSubscription } from '../../../shared/webhooks/envelope.js';

describe('matchesSubscription', () => {
  it('matches every event type when the filters include *', () => {
    expect(matchesSubscription('order.shipped', ['*'])).toBe(true);
    expect(matchesSubscription('order.ready_for_pickup', ['order.created', '*'])).toBe(true);
  });

  it('matches only the listed types otherwise', () => {
    expect(matchesSubscription('order.shipped', ['order.created', 'order.shipped'])).toBe(true);
    expect(matchesSubscription('order.updated', ['order.created', 'order.shipped'])).toBe(false);
  });

  it('treats filters as exact types, not prefixes or patterns', () => {
    expect(matchesSubscription('order.shipped', ['order.*'])).toBe(false);
    expect(matchesSubscription('order.shipped', ['order'])).toBe(false);
  });

  it('matches nothing without filters', () => {
    expect(matchesSubscription('order.created', [])).toBe(false);
  });
});

describe('eventEnvelopeSchema', () => {
  it('accepts the envelope of spec/events.md', () => {
    const envelope = {
      id: 'evt_01J0000000000000000000000',
      type: 'order.shipped',
      tenantId: 'acme',
      timestamp: '2026-11-26T10:00:00.000Z',
      data: { order: { id: 'ord_1' }, shipment: { carrier: 'ups' }, sequence: 7 },
    };
    expect(eventEnvelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it('refuses an envelope without a tenant or with a timestamp that is not ISO 8601', () => {
    const base = {
      id: 'evt_1',
      type: 'order.created',
      tenantId: 'acme',
      timestamp: '2026-11-26T10:00:00Z',
      data: {},
    };
    expect(eventEnvelopeSchema.safeParse(base).success).toBe(true);
    expect(eventEnvelopeSchema.safeParse({ ...base, tenantId: '' }).success).toBe(false);
    expect(eventEnvelopeSchema.safeParse({ ...base, timestamp: 'yesterday' }).success).toBe(false);
  });
});
