import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { type ApiKeyAuthenticator, bearerToken } from '../../shared/auth/api-keys.js';

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
  return async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => {
    const principal = await authenticator.authenticate(bearerToken(event.headers?.authorization));
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
  };
}
