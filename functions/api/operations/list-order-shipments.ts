import { newestFirstPage } from '../../../shared/http/cursor.js';
import type { Operation } from './index.js';

export const listOrderShipments: Operation<'listOrderShipments'> = async (
  { principal, params, query },
  { orders, cursors },
) => {
  const orderId = params.id as string;
  const order = await orders.get(principal.tenantId, orderId);
  const scope = `shipments:${principal.tenantId}:${orderId}`;
  return { statusCode: 200, body: newestFirstPage(order.shipments, query, cursors, scope) };
};
