import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listOrders: Operation<'listOrders'> = async ({ principal, query }, { orders, cursors }) => {
  const { cursor, ...filters } = query;
  const scope = `orders:${principal.tenantId}:${JSON.stringify({ ...filters, limit: undefined })}`;
  const after = cursor === undefined ? undefined : (cursors.decode(cursor, scope) as PageKey);
  const page = await orders.list(principal.tenantId, filters, after);
  return {
    statusCode: 200,
    body: { items: page.orders, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
