import { etag } from '../../../shared/http/request.js';
import type { Order } from '../../../shared/orders/schema.js';
import { storedResponse, toResult } from '../edge.js';
import type { Operation } from './index.js';

const applied = (order: Order) => ({ statusCode: 200, headers: { etag: etag(order.version) }, body: order });

export const applyOrderChange: Operation<'applyOrderChange'> = async (
  { principal, params, idempotency },
  { changes },
) => {
  const order = await changes.apply(principal, params.id as string, params.changeId as string, (next) =>
    idempotency ? { ...idempotency, response: storedResponse(toResult(applied(next))) } : undefined,
  );
  return { ...applied(order), idempotencyRecorded: idempotency !== undefined };
};
