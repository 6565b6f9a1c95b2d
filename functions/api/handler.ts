import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { validatePathParameters } from '../../shared/http/path-parameters.js';
import type { ApiRequest, ApiResponse } from '../../shared/http/request.js';
import { type Route, routeKey, routes } from '../../shared/http/routes.js';
import { problems } from '../../shared/problem.js';
import type { AuthorizerContext } from '../authorizer/handler.js';
import type { ApiDeps } from './deps.js';
import {
  authenticate,
  failureToProblem,
  idempotencyKey,
  lowerCaseHeaders,
  parseBody,
  parseQuery,
  problemResponse,
  rawBody,
  requestFingerprint,
  runIdempotently,
  toResult,
} from './edge.js';
import { operations } from './operations/index.js';

const routesByKey = new Map<string, Route>(routes.map((route) => [routeKey(route), route]));

export const logger = new Logger({ serviceName: 'orderflow-api' });

/**
 * The api function: one API Gateway (HTTP API, payload 2.0) event in, one response out.
 * The same function serves the local stack, which builds the same events from real HTTP.
 */
export function createApiHandler(deps: ApiDeps) {
  async function dispatch(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const route = routesByKey.get(event.routeKey);
    if (!route) return problemResponse(problems.notFound(`${event.rawPath}`).toProblem());
    const headers = lowerCaseHeaders(event.headers);
    try {
      const authorizer = (event.requestContext as { authorizer?: { lambda?: Partial<AuthorizerContext> } })
        .authorizer?.lambda;
      const principal = await authenticate(route, headers, deps, authorizer);
      validatePathParameters(route, event.pathParameters);
      const raw = rawBody(event);
      const body = parseBody(route, headers, raw);
      const query = parseQuery(route, event.queryStringParameters);
      const request = {
        route,
        params: { ...event.pathParameters } as Record<string, string>,
        query,
        body,
        headers,
        principal,
      } as ApiRequest;
      const operation = operations[route.operationId] as (
        request: ApiRequest,
        deps: ApiDeps,
      ) => Promise<ApiResponse>;
      const key = route.method === 'POST' ? idempotencyKey(headers) : undefined;
      if (key === undefined) return toResult(await operation(request, deps));
      return await runIdempotently(
        deps,
        principal?.tenantId ?? 'admin',
        key,
        requestFingerprint(event, body),
        async (owner) => {
          const response = await operation({ ...request, idempotency: { key, owner } }, deps);
          return { result: toResult(response), recorded: response.idempotencyRecorded === true };
        },
        'sealResponse' in route && route.sealResponse === true,
      );
    } catch (error) {
      const problem = failureToProblem(error);
      if (problem) return problemResponse(problem);
      logger.error('Unhandled failure', { error: error as Error, routeKey: event.routeKey });
      return problemResponse({
        type: 'https://orderflow.dev/problems/internal',
        title: 'Internal Server Error',
        status: 500,
        detail: 'Something went wrong on our side; the failure has been logged.',
      });
    }
  }

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(dispatch);
}
