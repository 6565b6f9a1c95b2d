import type { Operation } from './index.js';

export const listOrderEvents: Operation<'listOrderEvents'> = async (
  { principal, params, query },
  { orders, cursors },
) => {
  const orderId = params.id;
  const scope = `events:${principal.tenantId}:${orderId}`;
  const after = query.cursor === undefined ? undefined : Number(cursors.decode(query.cursor, scope));
  const page = await orders.events(principal.tenantId, orderId, query.limit, after);
  const last = page.events.at(-1);
  return {
    statusCode: 200,
    body: {
      items: page.events,
      nextCursor: page.hasMore && last ? cursors.encode(last.sequence, scope) : null,
    },
  };
};
