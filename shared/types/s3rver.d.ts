// s3rver 3 ships no type definitions; this is the part of its API the local stack calls.
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  interface KoaContext {
    method: string;
    originalUrl: string;
    headers: Record<string, string | string[] | undefined>;
    status: number;
    type: string;
    body: unknown;
  }
  class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware stack; a function put first runs before every route. */
    middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void)[];
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
  export = S3rver;
}
