import { etag, ifMatchVersion } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const progressOrderItem: Operation<'progressOrderItem'> = async (
  { principal, params, body, headers },
  { orders },
) => {
  const order = await orders.progress(
    principal,
    params.id as string,
    { kind: 'item', sku: params.sku as string },
    body,
    ifMatchVersion(headers),
  );
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
