import type { Operation } from './index.js';

export const placeOrderHold: Operation<'placeOrderHold'> = async (
  { principal, params, body },
  { orders },
) => {
  const hold = await orders.placeHold(principal, params.id as string, body);
  return { statusCode: 201, body: hold };
};
