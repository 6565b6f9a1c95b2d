import type { Operation } from './index.js';

export const rotateWebhookSecret: Operation<'rotateWebhookSecret'> = async (
  { principal, params },
  { webhooks },
) => ({
  statusCode: 200,
  body: await webhooks.rotateSecret(principal.tenantId, params.id),
});
