import { describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS } from '../../local/s3-local.js';
import { sigV4Problem } from '../../local/sigv4.js';
import { attachmentsS3Client } from '../../shared/adapters/aws/s3-client.js';
import { S3ObjectStorage } from '../../shared/adapters/aws/s3-object-storage.js';

const storage = new S3ObjectStorage(
  attachmentsS3Client({
    endpoint: 'http://127.0.0.1:4569',
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  }),
  'orderflow-attachments',
);
const secretOf = (id: string) =>
  id === LOCAL_S3_CREDENTIALS.accessKeyId ? LOCAL_S3_CREDENTIALS.secretAccessKey : undefined;

async function signedPut() {
  const { url, headers } = await storage.presignUpload({
    key: 'tenants/t1/orders/ord_1/att_1',
    contentType: 'application/pdf',
    size: 34,
    expiresInSeconds: 900,
  });
  const parsed = new URL(url);
  return {
    method: 'PUT',
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: { host: parsed.host, ...headers },
  };
}

describe('the local S3 signature check', () => {
  it('accepts a presigned upload exactly as signed, until it expires', async () => {
    const request = await signedPut();
    expect(sigV4Problem(request, secretOf, new Date())).toBeUndefined();
    expect(sigV4Problem(request, secretOf, new Date(Date.now() + 16 * 60_000))).toBe('Request has expired.');
  });

  it('refuses another method, key, header value, credential or a tampered query', async () => {
    const request = await signedPut();
    const now = new Date();
    const mismatch = 'The request signature we calculated does not match the signature you provided.';
    expect(sigV4Problem({ ...request, method: 'GET' }, secretOf, now)).toBe(mismatch);
    expect(sigV4Problem({ ...request, path: request.path.replace('ord_1', 'ord_2') }, secretOf, now)).toBe(
      mismatch,
    );
    expect(
      sigV4Problem({ ...request, headers: { ...request.headers, 'content-length': '35' } }, secretOf, now),
    ).toBe(mismatch);
    const longer = new URLSearchParams(request.query);
    longer.set('X-Amz-Expires', '604800');
    expect(sigV4Problem({ ...request, query: longer }, secretOf, now)).toBe(mismatch);
    expect(sigV4Problem(request, () => undefined, now)).toBe('The credential is not known here.');
    expect(sigV4Problem({ ...request, query: new URLSearchParams() }, secretOf, now)).toBe(
      'Anonymous access is not allowed.',
    );
  });
});
