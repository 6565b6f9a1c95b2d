import type { Operation } from './index.js';

export const requestOrderReturn: Operation<'requestOrderReturn'> = async (
  { principal, params, body },
  { orders },
) => ({ statusCode: 201, body: await orders.requestReturn(principal, params.id as string, body) });
