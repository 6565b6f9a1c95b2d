import type { Operation } from './index.js';

export const createApiKey: Operation<'createApiKey'> = async ({ principal, body }, { tenants }) => ({
  statusCode: 201,
  body: await tenants.issueOwnKey(principal, body),
});
