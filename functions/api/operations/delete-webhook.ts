import type { Operation } from './index.js';

export const deleteWebhook: Operation<'deleteWebhook'> = async ({ principal, params }, { webhooks }) => {
  await webhooks.delete(principal.tenantId, params.id);
  return { statusCode: 204 };
};
