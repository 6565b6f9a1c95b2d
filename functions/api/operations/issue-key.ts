import type { Operation } from './index.js';

export const issueKey: Operation<'issueKey'> = async ({ params, body }, { tenants }) => {
  const key = await tenants.issueKey(params.id, body);
  return {
    statusCode: 201,
    headers: { location: `/v1/admin/tenants/${params.id}/keys/${key.keyId}` },
    body: key,
  };
};
