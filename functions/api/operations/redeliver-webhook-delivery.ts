import type { Operation } from './index.js';

export const redeliverWebhookDelivery: Operation<'redeliverWebhookDelivery'> = async (
  { principal, params },
  { webhooks },
) => ({
  statusCode: 202,
  body: await webhooks.redeliver(principal.tenantId, params.id, params.deliveryId),
});
