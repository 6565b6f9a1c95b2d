import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listWebhooks: Operation<'listWebhooks'> = async (
  { principal, query },
  { webhooks, cursors },
) => {
  const scope = `webhooks:${principal.tenantId}`;
  const after = query.cursor === undefined ? undefined : (cursors.decode(query.cursor, scope) as PageKey);
  const page = await webhooks.list(principal.tenantId, query.limit, after);
  return {
    statusCode: 200,
    body: { items: page.webhooks, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
