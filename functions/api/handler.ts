import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../../shared/http/request.js';
import type { ApiDeps } from './deps.js';
import { notModified, toResult } from './edge.js';
import {
  authentication,
  edgeState,
  idempotency,
  pathParameters,
  problemResponses,
  requestParsing,
  routing,
  scopeCheck,
} from './middlewares.js';
import { operations } from './operations/index.js';

export const logger = new Logger({ serviceName: 'orderflow-api' });

/**
 * The api function: one API Gateway (HTTP API, payload 2.0) event in, one response out.
 * The same function serves the local stack, which builds the same events from real HTTP.
 * The middlewares run in the order they are used; `problemResponses` maps every failure.
 */
export function createApiHandler(deps: ApiDeps) {
  async function runOperation(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const state = edgeState(event);
    const operation = operations[state.route.operationId as keyof typeof operations] as (
      request: ApiRequest,
      deps: ApiDeps,
    ) => Promise<ApiResponse>;
    const { idempotency: run } = state;
    const response = await operation(
      {
        route: state.route,
        params: state.params,
        query: state.query,
        body: state.body,
        headers: state.headers,
        principal: state.principal,
        ...(run ? { idempotency: { key: run.key, owner: run.owner } } : {}),
      } as ApiRequest,
      deps,
    );
    if (run && response.idempotencyRecorded === true) run.settled = true;
    return toResult(notModified(state.route, state.headers, response) ?? response);
  }

  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
      // First in, so its onError runs last: every other middleware's onError has run by then.
      .use(problemResponses(logger))
      .use(injectLambdaContext(logger))
      .use(routing())
      .use(authentication(deps, logger))
      .use(scopeCheck())
      .use(pathParameters())
      .use(requestParsing())
      .use(idempotency(deps))
      .handler(runOperation)
  );
}
