import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretBox, SecretContext } from '../../webhooks/secret-box.js';

/**
 * Signing secrets encrypted by a KMS key. The encryption context binds each ciphertext to its
 * tenant and subscription (and shows up in CloudTrail), so a ciphertext copied to another
 * subscription does not decrypt.
 */
export class KmsSecretBox implements SecretBox {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async seal(plaintext: string, context: SecretContext): Promise<string> {
    const { CiphertextBlob } = await this.kms.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(plaintext, 'utf8'),
        EncryptionContext: { ...context },
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS returned no ciphertext.');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  async open(sealed: string, context: SecretContext): Promise<string> {
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(sealed, 'base64'),
        EncryptionContext: { ...context },
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext.');
    return Buffer.from(Plaintext).toString('utf8');
  }
}
