import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { type ApiKeyAuthenticator, bearerToken } from '../../shared/auth/api-keys.js';

export const logger = new Logger({ serviceName: 'orderflow-authorizer' });

/**
 * How long the authorizer function itself remembers a key: not at all. API Gateway already
 * caches its answers for AUTHORIZER_CACHE_TTL, and a second cache would only lengthen how long
 * a revoked key keeps working (docs/deploy.md).
 */
export const AUTHORIZER_KEY_CACHE_MS = 0;

/** What the authorizer hands the api function; empty strings when the key is unknown. */
export interface AuthorizerContext {
  tenantId: string;
  keyId: string;
  role: string;
  /** The key's scopes, space-separated (authorizer context values are strings). */
  scopes: string;
}

/**
 * The API Gateway REQUEST authorizer (simple responses), cached by the Authorization header.
 * It resolves the key to its tenant, role and scopes but lets unknown keys through with an empty
 * context: the api function then answers 401 as problem+json, which API Gateway's own deny
 * response cannot be.
 */
export function createAuthorizer(authenticator: ApiKeyAuthenticator) {
  async function authorize(
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
    const token = bearerToken(event.headers?.authorization);
    // What is logged names the request, never the key.
    const request = { routeKey: event.routeKey, sourceIp: event.requestContext?.http?.sourceIp };
    let principal: Awaited<ReturnType<ApiKeyAuthenticator['authenticate']>>;
    try {
      principal = await authenticator.authenticate(token);
    } catch (error) {
      logger.error('Resolving the API key failed; API Gateway answers this request 500', {
        ...request,
        error: error as Error,
      });
      throw error;
    }
    if (!principal) {
      logger.info('No tenant holds the request’s key; the api function answers 401', {
        ...request,
        keyPresented: token !== undefined,
      });
    }
    return {
      isAuthorized: true,
      context: principal
        ? {
            tenantId: principal.tenantId,
            keyId: principal.keyId,
            role: principal.role,
            scopes: principal.scopes.join(' '),
          }
        : { tenantId: '', keyId: '', role: '', scopes: '' },
    };
  }

  return middy<
    APIGatewayRequestAuthorizerEventV2,
    APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>,
    Error,
    Context
  >()
    .use(injectLambdaContext(logger))
    .handler(authorize);
}
