import type { Operation } from './index.js';

/** Shipments live on the order (at most one per shipped unit of its ≤ 500 items), newest first. */
export const listOrderShipments: Operation<'listOrderShipments'> = async (
  { principal, params, query },
  { orders, cursors },
) => {
  const orderId = params.id as string;
  const scope = `shipments:${principal.tenantId}:${orderId}`;
  const order = await orders.get(principal.tenantId, orderId);
  const newestFirst = [...order.shipments].reverse();
  const start = query.cursor === undefined ? 0 : Number(cursors.decode(query.cursor, scope));
  const items = newestFirst.slice(start, start + query.limit);
  const next = start + items.length;
  return {
    statusCode: 200,
    body: { items, nextCursor: next < newestFirst.length ? cursors.encode(next, scope) : null },
  };
};
