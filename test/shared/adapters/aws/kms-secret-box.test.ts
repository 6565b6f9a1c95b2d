import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsSecretBox } from '../../../../shared/adapters/aws/kms-secret-box.js';

const kms = mockClient(KMSClient);
const keyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const box = new KmsSecretBox(new KMSClient({ region: 'eu-west-1' }), keyId);
const context = { tenantId: 'ten_1', webhookId: 'wh_1' };
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

beforeEach(() => kms.reset());

describe('the KMS secret box', () => {
  it('encrypts under the configured key with the subscription as encryption context', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Uint8Array.from([1, 2, 3]), KeyId: keyId });
    expect(await box.seal(secret, context)).toBe(Buffer.from([1, 2, 3]).toString('base64'));
    const [call] = kms.commandCalls(EncryptCommand);
    expect(call?.args[0].input).toEqual({
      KeyId: keyId,
      Plaintext: Buffer.from(secret, 'utf8'),
      EncryptionContext: { tenantId: 'ten_1', webhookId: 'wh_1' },
    });
  });

  it('decrypts with the same key and encryption context', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(secret, 'utf8'), KeyId: keyId });
    expect(await box.open(Buffer.from([1, 2, 3]).toString('base64'), context)).toBe(secret);
    const [call] = kms.commandCalls(DecryptCommand);
    expect(call?.args[0].input).toEqual({
      KeyId: keyId,
      CiphertextBlob: Buffer.from([1, 2, 3]),
      EncryptionContext: { tenantId: 'ten_1', webhookId: 'wh_1' },
    });
  });

  it('fails when KMS refuses, for instance for another encryption context', async () => {
    kms
      .on(DecryptCommand)
      .rejects(
        Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' }),
      );
    await expect(box.open('AQID', { tenantId: 'ten_2', webhookId: 'wh_1' })).rejects.toThrow(
      /InvalidCiphertext/,
    );
  });
});
