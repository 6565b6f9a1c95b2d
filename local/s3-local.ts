import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { sigV4Problem } from './sigv4.js';

/** s3rver's built-in account; the local stack's S3 client signs with it. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_S3_REGION = 'us-east-1';
export const LOCAL_ATTACHMENTS_BUCKET = 'orderflow-attachments';

export interface S3Local {
  endpoint: string;
  port: number;
  bucket: string;
  /** Where the objects are on disk. */
  directory: string;
  stop(): Promise<void>;
}

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>http://127.0.0.1:*</AllowedOrigin>
    <AllowedOrigin>http://localhost:*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

function denied(ctx: { status: number; type: string; body: unknown }, message: string): void {
  ctx.status = 403;
  ctx.type = 'application/xml';
  const escaped = message.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escaped}</Message></Error>`;
}

/**
 * The local stand-in for S3: s3rver on 127.0.0.1, with the attachments bucket (and its CORS
 * rule for pages served from this machine). s3rver 3
 * accepts any SigV4 signature, so every request is first checked here the way S3 checks it
 * (signed headers, expiry, no anonymous access): an upload URL admits exactly the size and
 * content type it was signed for, and a URL for one key opens no other.
 */
export async function startS3Local(options: { dataDir?: string; port?: number }): Promise<S3Local> {
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'orderflow-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: LOCAL_ATTACHMENTS_BUCKET, configs: [CORS] }],
  });
  server.middleware.unshift(async (ctx, next) => {
    // CORS preflights carry no signature, on S3 as here.
    if (ctx.method === 'OPTIONS') return next();
    const url = new URL(ctx.originalUrl, 'http://local');
    const problem = sigV4Problem(
      { method: ctx.method, path: url.pathname, query: url.searchParams, headers: ctx.headers },
      (accessKeyId) =>
        accessKeyId === LOCAL_S3_CREDENTIALS.accessKeyId ? LOCAL_S3_CREDENTIALS.secretAccessKey : undefined,
      new Date(),
    );
    if (problem) return denied(ctx, problem);
    return next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    port: address.port,
    bucket: LOCAL_ATTACHMENTS_BUCKET,
    directory,
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
      if (!options.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
