import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoTenantStore } from '../../shared/adapters/dynamodb/tenant-store.js';
import { ApiKeyAuthenticator } from '../../shared/auth/api-keys.js';
import { env } from '../runtime.js';
import { AUTHORIZER_KEY_CACHE_MS, createAuthorizer } from './handler.js';

/** The authorizer's Lambda entry point on AWS. */
const tableName = env('TABLE_NAME');
export const handler = createAuthorizer(
  new ApiKeyAuthenticator(
    new DynamoTenantStore(createDocumentClient({ tableName }), tableName),
    AUTHORIZER_KEY_CACHE_MS,
  ),
);
