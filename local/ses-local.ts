import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export interface SesLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The local stand-in for SES v2: aws-ses-v2-local on 127.0.0.1. It keeps sent mail in
 * memory, lists it at its root page (`GET /`) and as JSON at `GET /store`.
 */
export async function startSesLocal(options: { port?: number }): Promise<SesLocal> {
  // Required, not imported: a CommonJS `exports.default` that ESM loaders unwrap differently.
  const start = createRequire(import.meta.url)('aws-ses-v2-local').default as (config: {
    host: string;
    port: number;
  }) => Promise<Server>;
  const server: Server = await start({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
