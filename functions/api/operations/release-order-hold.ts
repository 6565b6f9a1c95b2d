import { etag } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const releaseOrderHold: Operation<'releaseOrderHold'> = async ({ principal, params }, { orders }) => {
  const order = await orders.releaseHold(principal, params.id as string, params.holdId as string);
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
