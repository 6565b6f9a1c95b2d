import { etag, ifMatchVersion } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const progressOrderService: Operation<'progressOrderService'> = async (
  { principal, params, body, headers },
  { orders },
) => {
  const order = await orders.progress(
    principal,
    params.id,
    { kind: 'service', code: params.code },
    body,
    ifMatchVersion(headers),
  );
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
