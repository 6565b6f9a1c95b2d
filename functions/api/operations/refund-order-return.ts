import type { Operation } from './index.js';

export const refundOrderReturn: Operation<'refundOrderReturn'> = async (
  { principal, params, body },
  { orders },
) => ({
  statusCode: 200,
  body: await orders.stepReturn(principal, params.id as string, params.returnId as string, {
    to: 'refunded',
    refund: body,
  }),
});
