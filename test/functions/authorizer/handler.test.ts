import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from '../../../functions/authorizer/handler.js';
import { lambdaContext } from '../../../local/api-gateway.js';
import { DynamoTenantStore } from '../../../shared/adapters/dynamodb/tenant-store.js';
import { ApiKeyAuthenticator } from '../../../shared/auth/api-keys.js';
import { useDynamoTable } from '../../support/dynamodb-table.js';

const tableName = 'authorizer-logs';
const table = useDynamoTable(tableName);
const KEY = 'of_live_this-key-belongs-to-nobody-0123456789';

/** The structured lines the authorizer's Logger wrote while `run` ran. */
async function logLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  // Errors go to stderr, the rest to stdout.
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(capture),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const event = (authorization?: string) =>
  ({
    type: 'REQUEST',
    routeKey: 'POST /v1/orders',
    headers: authorization ? { authorization } : {},
    requestContext: { http: { sourceIp: '203.0.113.9' } },
  }) as never;

afterEach(() => vi.restoreAllMocks());

describe('the authorizer', () => {
  it('logs a key no tenant holds with its route and source, never the key itself', async () => {
    const authorize = createAuthorizer(
      new ApiKeyAuthenticator(new DynamoTenantStore(table.documents, tableName), 0),
    );
    let result: unknown;
    const lines = await logLines(async () => {
      result = await authorize(event(`Bearer ${KEY}`), lambdaContext('orderflow-authorizer', 'req-1'));
    });
    expect(result).toMatchObject({ isAuthorized: true, context: { tenantId: '' } });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        service: 'orderflow-authorizer',
        message: expect.stringMatching(/No tenant holds the request’s key/),
        routeKey: 'POST /v1/orders',
        sourceIp: '203.0.113.9',
        keyPresented: true,
        function_request_id: 'req-1',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it('logs a failure to read the keys as an error and lets API Gateway answer it', async () => {
    const authorize = createAuthorizer(
      new ApiKeyAuthenticator(new DynamoTenantStore(table.documents, 'no-such-table'), 0),
    );
    const lines = await logLines(() =>
      expect(
        authorize(event(`Bearer ${KEY}`), lambdaContext('orderflow-authorizer', 'req-2')),
      ).rejects.toThrow(/non-existent table/),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringMatching(/Resolving the API key failed/),
        routeKey: 'POST /v1/orders',
        error: expect.objectContaining({ name: expect.any(String) }),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });
});
