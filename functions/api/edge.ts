import { createHash, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { bearerToken, isAdminKey, type Principal } from '../../shared/auth/api-keys.js';
import { ConflictError, StoreUnavailableError } from '../../shared/errors.js';
import type { ApiResponse } from '../../shared/http/request.js';
import type { RouteDefinition } from '../../shared/http/routes.js';
import { canonicalJson, prototypeKeyPaths } from '../../shared/json.js';
import type { StoredResponse } from '../../shared/orders/order-store.js';
import { type Problem, ProblemError, problems } from '../../shared/problem.js';
import { parseOrThrow } from '../../shared/validation.js';
import type { AuthorizerContext } from '../authorizer/handler.js';
import type { ApiDeps } from './deps.js';

export const MAX_BODY_BYTES = 256 * 1024;

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(problem),
  };
}

export function toResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const headers = { ...response.headers };
  if (response.body === undefined) return { statusCode: response.statusCode, headers };
  if (typeof response.body === 'string' && headers['content-type']) {
    return { statusCode: response.statusCode, headers, body: response.body };
  }
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(response.body),
  };
}

/** Any failure as problem+json; only a genuine defect becomes a 500, and it says nothing internal. */
export function failureToProblem(error: unknown): Problem | undefined {
  if (error instanceof ProblemError) return error.toProblem();
  if (error instanceof ConflictError) {
    return problems.conflict('The order was changed by another request at the same time; retry.').toProblem();
  }
  if (error instanceof StoreUnavailableError) return problems.unavailable().toProblem();
  return undefined;
}

export function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}

export function rawBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ProblemError(413, 'too-large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  }
  return bytes.toString('utf8');
}

const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** Parses and validates the JSON body against the route's schema. */
export function parseBody(route: RouteDefinition, headers: Record<string, string>, raw: string | undefined) {
  if (!route.body) return undefined;
  if (raw === undefined || raw.trim() === '') {
    throw problems.validation([{ path: '', message: 'A JSON body is required.' }]);
  }
  const contentType = headers['content-type'];
  if (contentType !== undefined && !JSON_TYPES.test(contentType)) {
    throw new ProblemError(415, 'unsupported-media-type', 'Send the body as application/json.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw problems.validation(
      [{ path: '', message: `Malformed JSON: ${(error as Error).message}` }],
      'The body is not valid JSON.',
    );
  }
  const reserved = prototypeKeyPaths(json);
  if (reserved.length > 0) {
    throw new ProblemError(422, 'reserved-key', '"__proto__" cannot be used as a key.', {
      errors: reserved.map((path) => ({ path, message: 'Reserved key; use another name.' })),
    });
  }
  return route.bodyValidation === 'domain' ? json : parseOrThrow(route.body, json);
}

export function parseQuery(route: RouteDefinition, query: APIGatewayProxyEventV2['queryStringParameters']) {
  if (!route.query) {
    return {};
  }
  return parseOrThrow(route.query, { ...query }, 'The query is not valid.', '/query');
}

/**
 * The caller's principal. On AWS the authorizer has already resolved the key (its context
 * arrives on the event); without one, the function resolves the key itself.
 */
export async function authenticate(
  route: RouteDefinition,
  headers: Record<string, string>,
  deps: ApiDeps,
  authorizerContext: Partial<AuthorizerContext> | undefined,
): Promise<Principal | undefined> {
  if (route.auth === 'none') return undefined;
  const token = bearerToken(headers.authorization);
  if (route.auth === 'admin') {
    if (!isAdminKey(token, deps.adminKeyHash)) throw problems.unauthorized();
    return undefined;
  }
  if (authorizerContext) {
    const { tenantId, keyId, role } = authorizerContext;
    if (!tenantId || !keyId || !role) throw problems.unauthorized();
    return { tenantId, keyId, role };
  }
  const principal = await deps.authenticator.authenticate(token);
  if (!principal) throw problems.unauthorized();
  return principal;
}

/** Same request = same route, same path and the same JSON body regardless of key order or spacing. */
export function requestFingerprint(event: APIGatewayProxyEventV2, body: unknown): string {
  return createHash('sha256')
    .update(`${event.requestContext.http.method} ${event.rawPath}\n${canonicalJson(body)}`)
    .digest('hex');
}

export function idempotencyKey(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 255) {
    throw problems.validation([{ path: '/headers/idempotency-key', message: 'Must be 1–255 characters.' }]);
  }
  return key;
}

const POLL_MS = 50;
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Runs a POST at most once per Idempotency-Key: the first request claims the key; a retry
 * with the same body replays the stored response (waiting while the first is still running);
 * a different body is a 422.
 */
export async function runIdempotently(
  deps: ApiDeps,
  scope: string,
  key: string,
  fingerprint: string,
  /** `recorded`: the operation stored its response under the key in its own transaction. */
  run: (owner: string) => Promise<{ result: APIGatewayProxyStructuredResultV2; recorded: boolean }>,
  /** The response carries a secret (an API key, a signing secret): it is stored encrypted. */
  sealResponse = false,
): Promise<APIGatewayProxyStructuredResultV2> {
  const context = { tenantId: scope, webhookId: `idempotency:${key}` };
  const owner = randomUUID();
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const claim = await deps.idempotency.claim(scope, key, fingerprint, owner, deps.clock());
    if (claim.claimed) break;
    if (claim.record.requestHash !== fingerprint) {
      throw new ProblemError(
        422,
        'idempotency-key-reused',
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    }
    if (claim.record.state === 'done' && claim.record.response) {
      const { statusCode, headers, body } = claim.record.response;
      const replayed = sealResponse && body ? await deps.secretBox.open(body, context) : body;
      return { statusCode, headers: { ...headers, 'idempotent-replayed': 'true' }, body: replayed };
    }
    if (Date.now() > deadline) {
      throw problems.conflict('A request with this Idempotency-Key is still being processed; retry shortly.');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  let result: APIGatewayProxyStructuredResultV2;
  try {
    const outcome = await run(owner);
    if (outcome.recorded) return outcome.result;
    result = outcome.result;
  } catch (error) {
    const problem = failureToProblem(error);
    // A 5xx may succeed when retried, so it is not remembered.
    if (!problem || problem.status >= 500) {
      await deps.idempotency.release(scope, key, owner);
      throw error;
    }
    result = problemResponse(problem);
  }
  const stored = storedResponse(result);
  if (sealResponse && stored.body) stored.body = await deps.secretBox.seal(stored.body, context);
  await deps.idempotency.complete(scope, key, owner, stored, deps.clock());
  return result;
}

export function storedResponse(result: APIGatewayProxyStructuredResultV2): StoredResponse {
  return {
    statusCode: result.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: result.body ?? '',
  };
}
