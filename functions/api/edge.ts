import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, StoreUnavailableError } from '../../shared/errors.js';
import { type ApiResponse, ifNoneMatchHolds } from '../../shared/http/request.js';
import type { RouteDefinition } from '../../shared/http/routes.js';
import { canonicalJson, prototypeKeyPaths } from '../../shared/json.js';
import type { StoredResponse } from '../../shared/orders/order-store.js';
import { type Problem, ProblemError, problems } from '../../shared/problem.js';
import { parseOrThrow } from '../../shared/validation.js';

export const MAX_BODY_BYTES = 256 * 1024;

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
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

/** A GET whose `If-None-Match` names the ETag it would answer: 304 with the ETag and no body. */
export function notModified(
  route: RouteDefinition,
  requestHeaders: Record<string, string>,
  response: ApiResponse,
): ApiResponse | undefined {
  const current = response.headers?.etag;
  if (route.method !== 'GET' || response.statusCode !== 200 || current === undefined) return undefined;
  if (!ifNoneMatchHolds(requestHeaders['if-none-match'], current)) return undefined;
  return { statusCode: 304, headers: { etag: current } };
}

/** Any failure as problem+json; only a genuine defect becomes a 500, and it says nothing internal. */
function failureToProblem(error: unknown): Problem | undefined {
  if (error instanceof ProblemError) return error.toProblem();
  if (error instanceof ConflictError) {
    return problems
      .concurrentChange('The order was changed by another request at the same time; retry.')
      .toProblem();
  }
  if (error instanceof StoreUnavailableError) return problems.unavailable().toProblem();
  return undefined;
}

/** A failure as its problem+json response, with the headers its status calls for. */
export function failureToResponse(error: unknown): APIGatewayProxyStructuredResultV2 | undefined {
  const problem = failureToProblem(error);
  if (!problem) return undefined;
  return problemResponse(problem, error instanceof ProblemError ? error.headers : {});
}

/** Whether sending the same request again may succeed: then its failure is not its idempotent answer. */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof ProblemError) return error.transient;
  return true;
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

export function storedResponse(result: APIGatewayProxyStructuredResultV2): StoredResponse {
  return {
    statusCode: result.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: result.body ?? '',
  };
}
