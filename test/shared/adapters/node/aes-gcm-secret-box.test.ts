import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmSecretBox } from '../../../../shared/adapters/node/aes-gcm-secret-box.js';
import { generateWebhookSecret } from '../../../../shared/webhooks/signing.js';

const box = new AesGcmSecretBox(randomBytes(32));
const context = { tenantId: 'ten_1', webhookId: 'wh_1' };

describe('the local secret box', () => {
  it('opens what it sealed, and the sealed form does not contain the secret', async () => {
    const secret = generateWebhookSecret();
    const sealed = await box.seal(secret, context);
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed).not.toBe(await box.seal(secret, context));
    expect(await box.open(sealed, context)).toBe(secret);
  });

  it('refuses a secret moved to another subscription or tenant, tampered with, or under another key', async () => {
    const sealed = await box.seal(generateWebhookSecret(), context);
    await expect(box.open(sealed, { ...context, webhookId: 'wh_2' })).rejects.toThrow();
    await expect(box.open(sealed, { ...context, tenantId: 'ten_2' })).rejects.toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    await expect(box.open(parts.join('.'), context)).rejects.toThrow();
    await expect(new AesGcmSecretBox(randomBytes(32)).open(sealed, context)).rejects.toThrow();
    await expect(box.open('plain-text', context)).rejects.toThrow(/Not a sealed secret/);
  });
});
