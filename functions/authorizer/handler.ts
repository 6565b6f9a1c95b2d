import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { type ApiKeyAuthenticator, bearerToken } from '../../shared/auth/api-keys.js';

/** What the authorizer hands the api function; empty strings when the key is unknown. */
export interface AuthorizerContext {
  tenantId: string;
  keyId: string;
  role: string;
}

/**
 * The API Gateway REQUEST authorizer (simple responses), cached by the Authorization header.
 * It resolves the key to its tenant and role but lets unknown keys through with an empty
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
      context: principal ?? { tenantId: '', keyId: '', role: '' },
    };
  };
}
