import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listOrderChanges: Operation<'listOrderChanges'> = async (
  { principal, params, query },
  { changes, cursors },
) => {
  const orderId = params.id as string;
  const scope = `changes:${principal.tenantId}:${orderId}`;
  const after = query.cursor === undefined ? undefined : (cursors.decode(query.cursor, scope) as PageKey);
  const page = await changes.list(principal.tenantId, orderId, query.limit, after);
  return {
    statusCode: 200,
    body: { items: page.changes, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
