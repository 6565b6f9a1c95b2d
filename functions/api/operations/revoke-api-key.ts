import type { Operation } from './index.js';

export const revokeApiKey: Operation<'revokeApiKey'> = async (
  { principal, params },
  { tenants, authenticator },
) => {
  await tenants.revokeOwnKey(principal, params.keyId);
  authenticator.forgetKey(params.keyId);
  return { statusCode: 204 };
};
