import { etag, ifMatchVersion } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const transitionOrder: Operation<'transitionOrder'> = async (
  { principal, params, body, headers },
  { orders },
) => {
  const order = await orders.transition(principal, params.id, body, ifMatchVersion(headers));
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
