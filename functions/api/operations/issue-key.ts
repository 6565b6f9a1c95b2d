import type { Operation } from './index.js';

export const issueKey: Operation<'issueKey'> = async ({ params, body }, { tenants }) => ({
  statusCode: 201,
  body: await tenants.issueKey(params.id, body),
});
