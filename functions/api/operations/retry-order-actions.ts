import { etag } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const retryOrderActions: Operation<'retryOrderActions'> = async (
  { principal, params },
  { orders },
) => {
  const order = await orders.retry(principal, params.id);
  return { statusCode: 202, headers: { etag: etag(order.version) }, body: order };
};
