import { newestFirstPage } from '../../../shared/http/cursor.js';
import type { Operation } from './index.js';

export const listOrderReturns: Operation<'listOrderReturns'> = async (
  { principal, params, query },
  { orders, cursors },
) => {
  const orderId = params.id as string;
  const order = await orders.get(principal.tenantId, orderId);
  const scope = `returns:${principal.tenantId}:${orderId}`;
  return { statusCode: 200, body: newestFirstPage(order.returns ?? [], query, cursors, scope) };
};
