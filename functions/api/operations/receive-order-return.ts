import type { Operation } from './index.js';

export const receiveOrderReturn: Operation<'receiveOrderReturn'> = async (
  { principal, params, body },
  { orders },
) => ({
  statusCode: 200,
  body: await orders.stepReturn(principal, params.id as string, params.returnId as string, {
    to: 'received',
    restock: body.restock,
  }),
});
