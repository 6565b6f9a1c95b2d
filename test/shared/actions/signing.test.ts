import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ActionSigningSecrets } from '../../../shared/actions/signing.js';

describe('action signing secrets', () => {
  const secrets = new ActionSigningSecrets('a-server-key-for-this-test');

  it('are whsec_ + base64(HMAC-SHA256(server key, tenant id))', () => {
    const expected = createHmac('sha256', 'a-server-key-for-this-test').update('ten_1').digest('base64');
    expect(secrets.secretFor('ten_1')).toBe(`whsec_${expected}`);
  });

  it('differ per tenant and per server key', () => {
    expect(secrets.secretFor('ten_1')).not.toBe(secrets.secretFor('ten_2'));
    expect(new ActionSigningSecrets('another-server-key-0001').secretFor('ten_1')).not.toBe(
      secrets.secretFor('ten_1'),
    );
  });

  it('are keys a Standard Webhooks verifier accepts', () => {
    const secret = secrets.secretFor('ten_1');
    const body = '{"hello":"world"}';
    const now = new Date();
    const signature = new Webhook(secret).sign('msg_1', now, body);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: 'world' });
    expect(() => new Webhook(secrets.secretFor('ten_2')).verify(body, headers)).toThrow();
  });

  it('refuse a server key too short to be a secret', () => {
    expect(() => new ActionSigningSecrets('short')).toThrow(/at least 16/);
  });
});
