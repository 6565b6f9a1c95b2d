import { etag } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const getOrder: Operation<'getOrder'> = async ({ principal, params }, { orders }) => {
  const order = await orders.get(principal.tenantId, params.id);
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
