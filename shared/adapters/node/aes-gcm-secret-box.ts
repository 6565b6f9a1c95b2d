import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox, SecretContext } from '../../webhooks/secret-box.js';

const version = 'v1';
const ivBytes = 12;

const associatedData = ({ tenantId, webhookId }: SecretContext) =>
  Buffer.from(`${tenantId}\n${webhookId}`, 'utf8');

/** AES-256-GCM; the context is authenticated as associated data. Sealed form: `v1.<iv>.<tag>.<ciphertext>`. */
export class AesGcmSecretBox implements SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('An AES-256 key is 32 bytes.');
  }

  async seal(plaintext: string, context: SecretContext): Promise<string> {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(associatedData(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [version, ...parts].join('.');
  }

  async open(sealed: string, context: SecretContext): Promise<string> {
    const [tag, iv, authTag, ciphertext, extra] = sealed.split('.');
    if (tag !== version || !iv || !authTag || !ciphertext || extra) {
      throw new Error('Not a sealed secret.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
      .setAAD(associatedData(context))
      .setAuthTag(Buffer.from(authTag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
