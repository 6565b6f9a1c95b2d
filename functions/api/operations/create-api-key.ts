import type { Operation } from './index.js';

export const createApiKey: Operation<'createApiKey'> = async ({ principal, body }, { tenants }) => {
  const key = await tenants.issueOwnKey(principal, body);
  return { statusCode: 201, headers: { location: `/v1/keys/${key.keyId}` }, body: key };
};
