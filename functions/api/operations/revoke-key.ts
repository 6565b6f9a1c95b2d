import type { Operation } from './index.js';

export const revokeKey: Operation<'revokeKey'> = async ({ params }, { tenants, authenticator }) => {
  await tenants.revokeKey(params.id, params.keyId);
  authenticator.forgetKey(params.keyId);
  return { statusCode: 204 };
};
