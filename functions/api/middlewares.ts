import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { bearerToken, isAdminKey, type Principal } from '../../shared/auth/api-keys.js';
import { holdsScope, LEGACY_KEY_SCOPES, ScopeGrant } from '../../shared/auth/scopes.js';
import { validatePathParameters } from '../../shared/http/path-parameters.js';
import { routesAt } from '../../shared/http/route-matching.js';
import { type RouteDefinition, routeKey, routes } from '../../shared/http/routes.js';
import { ProblemError, problems } from '../../shared/problem.js';
import type { AuthorizerContext } from '../authorizer/handler.js';
import type { ApiDeps } from './deps.js';
import {
  failureToResponse,
  idempotencyKey,
  isTransientFailure,
  lowerCaseHeaders,
  parseBody,
  parseQuery,
  problemResponse,
  rawBody,
  requestFingerprint,
  storedResponse,
} from './edge.js';

/**
 * The HTTP edge as middy middlewares, in this fixed order (handler.ts):
 * route → authentication → scope → path parameters → body and query → idempotency → operation,
 * with every failure turned into problem+json by one `onError`. Each step adds what it
 * established to the request's edge state, which the operation then receives.
 */
export type EdgeMiddleware = MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  Context
>;

export interface EdgeState {
  route: RouteDefinition;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  principal?: Principal;
  /** The write of the key's last use, running alongside the operation. */
  keyUse?: Promise<void>;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  idempotency?: IdempotentRun;
}

interface IdempotentRun {
  /** The stored key: the Idempotency-Key header scoped to the API key that sent it. */
  key: string;
  partition: string;
  owner: string;
  sealResponse: boolean;
  /** Stored already (by the operation in its own transaction, or by this middleware). */
  settled: boolean;
}

const states = new WeakMap<APIGatewayProxyEventV2, EdgeState>();

export function edgeState(event: APIGatewayProxyEventV2): EdgeState {
  const state = states.get(event);
  if (!state) throw new Error('The edge middlewares did not run for this event.');
  return state;
}

/** The one mapping of failures to responses: problem+json, and a bare 500 only for a genuine defect. */
export function problemResponses(logger: Logger): EdgeMiddleware {
  return {
    onError: (request) => {
      const response = failureToResponse(request.error);
      if (response) return response;
      logger.error('Unhandled failure', { error: request.error as Error, routeKey: request.event.routeKey });
      return problemResponse({
        type: 'https://orderflow.dev/problems/internal',
        title: 'Internal Server Error',
        status: 500,
        detail: 'Something went wrong on our side; the failure has been logged.',
      });
    },
  };
}

const routesByKey = new Map<string, RouteDefinition>(
  (routes as readonly RouteDefinition[]).map((route) => [routeKey(route), route]),
);

export function routing(): EdgeMiddleware {
  return {
    before: ({ event }) => {
      const route = routesByKey.get(event.routeKey);
      if (!route) throw unmatched(event);
      states.set(event, {
        route,
        headers: lowerCaseHeaders(event.headers),
        params: {},
        query: {},
        body: undefined,
      });
    },
  };
}

/**
 * A request no route took (API Gateway's `$default` route): 405 with `Allow` when its path has
 * other methods, else 404.
 */
function unmatched(event: APIGatewayProxyEventV2) {
  const path = event.rawPath;
  const allowed = routesAt(path).map(({ route }) => route.method);
  const method = event.requestContext.http.method;
  return allowed.length
    ? problems.methodNotAllowed(method, path, allowed)
    : problems.notFound(`The resource ${path}`);
}

/**
 * The caller's principal. On AWS the authorizer has already resolved the key (its context
 * arrives on the event); without one, the function resolves the key itself.
 */
export function authentication(deps: ApiDeps, logger: Logger): EdgeMiddleware {
  return {
    before: async ({ event }) => {
      const state = edgeState(event);
      if (state.route.auth === 'none') return;
      const token = bearerToken(state.headers.authorization);
      if (state.route.auth === 'admin') {
        if (!isAdminKey(token, deps.adminKeyHash)) throw problems.unauthorized();
        return;
      }
      const fromAuthorizer = (
        event.requestContext as { authorizer?: { lambda?: Partial<AuthorizerContext> } }
      ).authorizer?.lambda;
      const principal = fromAuthorizer
        ? principalFromAuthorizer(fromAuthorizer)
        : await deps.authenticator.authenticate(token);
      if (!principal) throw problems.unauthorized();
      state.principal = principal;
      // Written alongside the operation rather than before it, so it adds no latency; a
      // failure is only logged: last-used times are informative and must not fail the call.
      state.keyUse = deps.keyUse.record(principal).catch((error: unknown) => {
        logger.warn('Could not record key use', { error: error as Error, keyId: principal.keyId });
      });
    },
    after: async ({ event }) => {
      await states.get(event)?.keyUse;
    },
    onError: async ({ event }) => {
      await states.get(event)?.keyUse;
    },
  };
}

function principalFromAuthorizer(context: Partial<AuthorizerContext>): Principal | undefined {
  const { tenantId, keyId, role, scopes } = context;
  if (!tenantId || !keyId || !role) return undefined;
  return {
    tenantId,
    keyId,
    role,
    // An answer cached by an authorizer from before scopes existed: the key keeps the access it had.
    scopes:
      scopes === undefined
        ? LEGACY_KEY_SCOPES
        : scopes.split(' ').filter((grant): grant is ScopeGrant => ScopeGrant.safeParse(grant).success),
  };
}

/** A tenant key needs the scope its route names (api.md, "Permissions"). */
export function scopeCheck(): EdgeMiddleware {
  return {
    before: ({ event }) => {
      const { route, principal } = edgeState(event);
      if (route.auth !== 'tenant') return;
      if (!principal || !holdsScope(principal.scopes, route.scope)) throw problems.missingScope(route.scope);
    },
  };
}

/** The route template's parameters, as API Gateway decoded them, each checked against its format. */
export function pathParameters(): EdgeMiddleware {
  return {
    before: ({ event }) => {
      const state = edgeState(event);
      validatePathParameters(state.route, event.pathParameters);
      state.params = { ...event.pathParameters } as Record<string, string>;
    },
  };
}

/** Parses and validates the JSON body and the query against the route's schemas. */
export function requestParsing(): EdgeMiddleware {
  return {
    before: ({ event }) => {
      const state = edgeState(event);
      state.body = parseBody(state.route, state.headers, rawBody(event));
      state.query = parseQuery(state.route, event.queryStringParameters);
    },
  };
}

const POLL_MS = 50;
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Runs a POST at most once per Idempotency-Key and API key: the first request claims the key;
 * a retry with the same body replays the stored response (waiting while the first is still
 * running); a different body is a 422. Failures that a retry may cure (a race lost, a 5xx)
 * release the key instead of being remembered.
 */
export function idempotency(deps: ApiDeps): EdgeMiddleware {
  const contextOf = (run: IdempotentRun) => ({
    tenantId: run.partition,
    webhookId: `idempotency:${run.key}`,
  });

  async function settle(run: IdempotentRun, result: APIGatewayProxyStructuredResultV2) {
    run.settled = true;
    const stored = storedResponse(result);
    if (run.sealResponse && stored.body) stored.body = await deps.secretBox.seal(stored.body, contextOf(run));
    await deps.idempotency.complete(run.partition, run.key, run.owner, stored, deps.clock());
  }

  return {
    before: async ({ event }) => {
      const state = edgeState(event);
      const header = state.route.method === 'POST' ? idempotencyKey(state.headers) : undefined;
      if (header === undefined) return;
      const run: IdempotentRun = {
        key: state.principal ? `${state.principal.keyId}/${header}` : header,
        partition: state.principal?.tenantId ?? 'admin',
        owner: randomUUID(),
        sealResponse: state.route.sealResponse === true,
        settled: false,
      };
      const fingerprint = requestFingerprint(event, state.body);
      const deadline = Date.now() + WAIT_FOR_FIRST_MS;
      for (;;) {
        const claim = await deps.idempotency.claim(
          run.partition,
          run.key,
          fingerprint,
          run.owner,
          deps.clock(),
        );
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
          const replayed = run.sealResponse && body ? await deps.secretBox.open(body, contextOf(run)) : body;
          return { statusCode, headers: { ...headers, 'idempotent-replayed': 'true' }, body: replayed };
        }
        if (Date.now() > deadline) {
          throw problems.conflict(
            'A request with this Idempotency-Key is still being processed; retry shortly.',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      state.idempotency = run;
    },
    after: async ({ event, response }) => {
      const run = states.get(event)?.idempotency;
      if (run && !run.settled && response) await settle(run, response);
    },
    onError: async ({ event, error }) => {
      const run = states.get(event)?.idempotency;
      if (!run || run.settled) return;
      try {
        if (isTransientFailure(error)) {
          run.settled = true;
          await deps.idempotency.release(run.partition, run.key, run.owner);
          return;
        }
        const response = failureToResponse(error);
        if (response) await settle(run, response);
      } catch {
        // The store is failing too: the caller still gets the original failure, and the
        // claim's lease frees the key for a retry.
      }
    },
  };
}
