import { etag } from '../../../shared/http/request.js';
import type { Operation } from './index.js';

export const migrateOrder: Operation<'migrateOrder'> = async ({ principal, params, body }, { orders }) => {
  const order = await orders.migrate(principal, params.id, body.toVersion);
  return { statusCode: 200, headers: { etag: etag(order.version) }, body: order };
};
