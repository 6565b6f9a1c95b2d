import type { Operation } from './index.js';

export const recoverWebhook: Operation<'recoverWebhook'> = async (
  { principal, params, body },
  { webhooks },
) => ({
  statusCode: 202,
  body: await webhooks.recover(principal.tenantId, params.id, body.since),
});
