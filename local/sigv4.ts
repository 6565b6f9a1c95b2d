import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as it reached the local S3 server: its raw path (still URL-encoded) and query. */
export interface SignedRequest {
  method: string;
  /** As sent, e.g. `/bucket/tenants/demo/orders/ord_1/att_1` (S3 signs the path as encoded). */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hmac(key: Buffer | string, value: string): Buffer {
  return createHmac('sha256', key).update(value).digest();
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261201T225240Z` as a date. */
function amzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

interface Authorization {
  credential: string;
  signedHeaders: string[];
  signature: string;
  date: string;
  payloadHash: string;
  expiresSeconds?: number;
}

function authorizationOf(request: SignedRequest): Authorization | string {
  const { query, headers } = request;
  if (query.has('X-Amz-Algorithm')) {
    if (query.get('X-Amz-Algorithm') !== ALGORITHM) return `Only ${ALGORITHM} is supported.`;
    const credential = query.get('X-Amz-Credential');
    const signedHeaders = query.get('X-Amz-SignedHeaders');
    const signature = query.get('X-Amz-Signature');
    const date = query.get('X-Amz-Date');
    const expires = Number(query.get('X-Amz-Expires'));
    if (!credential || !signedHeaders || !signature || !date || !Number.isInteger(expires)) {
      return 'The presigned URL is missing part of its signature.';
    }
    return {
      credential,
      signedHeaders: signedHeaders.split(';'),
      signature,
      date,
      payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      expiresSeconds: expires,
    };
  }
  const header = headerValue(headers, 'authorization');
  if (!header) return 'Anonymous access is not allowed.';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  const date = headerValue(headers, 'x-amz-date');
  if (!match || !date) return 'The Authorization header is not a SigV4 signature.';
  return {
    credential: match[1] as string,
    signedHeaders: (match[2] as string).split(';'),
    signature: match[3] as string,
    date,
    payloadHash: headerValue(headers, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD',
  };
}

/**
 * Checks an AWS Signature Version 4 the way S3 does: the method, path, query and every
 * signed header (so an upload URL that signs Content-Length and Content-Type admits no
 * other size or type), and a presigned URL's expiry. Answers why it fails, or undefined.
 */
export function sigV4Problem(
  request: SignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  now: Date,
): string | undefined {
  const auth = authorizationOf(request);
  if (typeof auth === 'string') return auth;
  const [accessKeyId, day, region, service, terminator] = auth.credential.split('/');
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!secret || !day || !region || !service || terminator !== 'aws4_request') {
    return 'The credential is not known here.';
  }
  const signedAt = amzDate(auth.date);
  if (!signedAt || !auth.date.startsWith(day)) return 'The signature date is not valid.';
  if (auth.expiresSeconds !== undefined && now.getTime() > signedAt.getTime() + auth.expiresSeconds * 1000) {
    return 'Request has expired.';
  }
  if (!auth.signedHeaders.includes('host')) return 'The signature must cover the host header.';
  const canonicalQuery = [...request.query]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(headerValue(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path,
    canonicalQuery,
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    auth.date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'The request signature we calculated does not match the signature you provided.';
  }
  return undefined;
}
