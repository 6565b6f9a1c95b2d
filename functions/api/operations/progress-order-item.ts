import { etag, ifMatchVersion } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const progressOrderItem: Operation<'progressOrderItem'> = async (
  { principal, params, body, headers },
  { orders },
) => {
  const order = await orders.progress(
    principal,
    params.id,
    { kind: 'item', sku: params.sku },
    body,
    ifMatchVersion(headers),
  );
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
