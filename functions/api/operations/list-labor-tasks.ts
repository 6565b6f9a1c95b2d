import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listLaborTasks: Operation<'listLaborTasks'> = async (
  { principal, params, query },
  { orders, laborTasks, cursors },
) => {
  const orderId = params.id;
  // 404 for an unknown order or another tenant's, rather than an empty page.
  await orders.get(principal.tenantId, orderId);
  const scope = `labor-tasks:${principal.tenantId}:${orderId}`;
  const after = query.cursor === undefined ? undefined : (cursors.decode(query.cursor, scope) as PageKey);
  const page = await laborTasks.listOfOrder(principal.tenantId, orderId, query.limit, after);
  return {
    statusCode: 200,
    body: { items: page.laborTasks, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
