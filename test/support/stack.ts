import { afterAll, beforeAll } from 'vitest';
import { type RunningStack, type StackOptions, startStack } from '../../local/stack.js';

export interface CallOptions {
  method?: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestStack {
  stack: RunningStack;
  /** The demo tenant's key. */
  key: string;
  adminKey: string;
  call<T = any>(path: string, options?: CallOptions): Promise<CallResult<T>>;
  /** A fresh tenant with its own key. */
  newTenant(name?: string): Promise<{ tenantId: string; apiKey: string }>;
}

/** Starts the local stack in memory for the test file and gives it a small HTTP client. */
export function useStack(options: StackOptions = {}): TestStack {
  const handle = {} as TestStack;
  beforeAll(async () => {
    const stack = await startStack({ inMemory: true, port: 0, adminKey: 'test-admin-key', ...options });
    Object.assign(handle, {
      stack,
      key: stack.demoApiKey as string,
      adminKey: stack.adminKey,
      async call(path: string, options: CallOptions = {}) {
        const headers: Record<string, string> = { ...options.headers };
        const key = options.key === undefined ? handle.key : options.key;
        if (key !== null) headers.authorization ??= `Bearer ${key}`;
        let body: string | undefined = options.rawBody;
        if (options.body !== undefined) {
          body = JSON.stringify(options.body);
          headers['content-type'] ??= 'application/json';
        }
        const response = await fetch(`${stack.url}${path}`, {
          method: options.method ?? 'GET',
          headers,
          body,
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {}
        return { status: response.status, headers: response.headers, body: parsed };
      },
      async newTenant(name = 'Another shop') {
        const { body, status } = await handle.call('/v1/admin/tenants', {
          method: 'POST',
          key: stack.adminKey,
          body: { name },
        });
        if (status !== 201) throw new Error(`tenant creation failed: ${status} ${JSON.stringify(body)}`);
        return body as { tenantId: string; apiKey: string };
      },
    });
  });
  afterAll(async () => {
    await handle.stack?.stop();
  });
  return handle;
}

export { sampleOrder } from '../../local/sample-order.js';
