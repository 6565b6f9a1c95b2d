import type { Operation } from './index.js';

export const revokeKey: Operation<'revokeKey'> = async ({ params }, { tenants, authenticator }) => {
  await tenants.revokeKey(params.id as string, params.keyId as string);
  authenticator.forgetKey(params.keyId as string);
  return { statusCode: 204 };
};
