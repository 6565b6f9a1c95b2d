import type { Operation } from './index.js';

export const createApiKey: Operation<'createApiKey'> = async ({ principal, body }, { tenants }) => {
  const issued = await tenants.issueOwnKey(principal, body);
  return { statusCode: 201, headers: { location: `/v1/keys/${issued.keyId}` }, body: issued };
};
