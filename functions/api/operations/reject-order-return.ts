import type { Operation } from './index.js';

export const rejectOrderReturn: Operation<'rejectOrderReturn'> = async (
  { principal, params, body },
  { orders },
) => ({
  statusCode: 200,
  body: await orders.stepReturn(principal, params.id as string, params.returnId as string, {
    to: 'rejected',
    ...(body.note ? { note: body.note } : {}),
  }),
});
