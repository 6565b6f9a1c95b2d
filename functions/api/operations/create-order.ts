import { etag } from '../../../shared/http/request.js';
import type { Order } from '../../../shared/orders/schema.js';
import { storedResponse, toResult } from '../edge.js';
import type { Operation } from './index.js';

const created = (order: Order) => ({
  statusCode: 201,
  headers: { location: `/v1/orders/${order.id}`, etag: etag(order.version) },
  body: order,
});

export const createOrder: Operation<'createOrder'> = async ({ principal, body, idempotency }, { orders }) => {
  const order = await orders.create(principal, body, (draft) =>
    idempotency ? { ...idempotency, response: storedResponse(toResult(created(draft))) } : undefined,
  );
  return { ...created(order), idempotencyRecorded: idempotency !== undefined };
};
