import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signDelivery } from '../../../shared/webhooks/signing.js';

describe('generateWebhookSecret', () => {
  it('makes a whsec_ secret of 32 random bytes in base64', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });

  it('makes a different secret every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    expect(secrets.size).toBe(50);
  });
});

describe('signDelivery', () => {
  it('produces headers that the Standard Webhooks verifier accepts for any body', () => {
    const secret = generateWebhookSecret();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const body = JSON.stringify({ id: 'evt_1', text });
        const headers = signDelivery([secret], 'evt_1', new Date(), body);
        expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ id: 'evt_1', text });
      }),
    );
  });

  it('sends the event id and the unix time in seconds', () => {
    const headers = signDelivery(
      [generateWebhookSecret()],
      'evt_42',
      new Date('2026-11-26T10:00:00.900Z'),
      '{}',
    );
    expect(headers['webhook-id']).toBe('evt_42');
    expect(headers['webhook-timestamp']).toBe(String(Date.UTC(2026, 10, 26, 10) / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
  });

  it('makes signatures that another secret or a changed body fails to verify', () => {
    const body = '{"id":"evt_1"}';
    const headers = signDelivery([generateWebhookSecret()], 'evt_1', new Date(), body);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(generateWebhookSecret()).verify('{"id":"evt_2"}', { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('signs under each secret it is given, so either one verifies the request', () => {
    const [current, previous, unrelated] = [1, 2, 3].map(generateWebhookSecret) as [string, string, string];
    const body = '{"id":"evt_1"}';
    const headers = signDelivery([current, previous], 'evt_1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2} v1,[A-Za-z0-9+/]+={0,2}$/);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ id: 'evt_1' });
    }
    expect(() => new Webhook(unrelated).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('throws for a secret that is not base64 key material', () => {
    expect(() => signDelivery(['whsec_'], 'evt_1', new Date(), '{}')).toThrow();
    expect(() => signDelivery(['whsec_not base64!'], 'evt_1', new Date(), '{}')).toThrow();
  });
});
