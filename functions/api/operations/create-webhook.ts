import type { Operation } from './index.js';

export const createWebhook: Operation<'createWebhook'> = async ({ principal, body }, { webhooks }) => {
  const webhook = await webhooks.create(principal.tenantId, body);
  return { statusCode: 201, headers: { location: `/v1/webhooks/${webhook.id}` }, body: webhook };
};
