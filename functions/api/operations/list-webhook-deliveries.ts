import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listWebhookDeliveries: Operation<'listWebhookDeliveries'> = async (
  { principal, params, query },
  { webhooks, cursors },
) => {
  const webhookId = params.id;
  const scope = `deliveries:${principal.tenantId}:${webhookId}`;
  const after = query.cursor === undefined ? undefined : (cursors.decode(query.cursor, scope) as PageKey);
  const page = await webhooks.deliveries(principal.tenantId, webhookId, query.limit, after);
  return {
    statusCode: 200,
    body: { items: page.deliveries, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
