import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoTenantStore } from '../../shared/adapters/dynamodb/tenant-store.js';
import { ApiKeyAuthenticator } from '../../shared/auth/api-keys.js';
import { env } from '../runtime.js';
import { createAuthorizer } from './handler.js';

/** The authorizer's Lambda entry point on AWS. */
const tableName = env('TABLE_NAME');
// API Gateway already caches each answer for AUTHORIZER_CACHE_TTL; a second cache here would
// only lengthen how long a revoked key keeps working (docs/deploy.md).
export const handler = createAuthorizer(
  new ApiKeyAuthenticator(new DynamoTenantStore(createDocumentClient({ tableName }), tableName), 0),
);
