import type { PageKey } from '../../../shared/orders/order-store.js';
import type { Operation } from './index.js';

export const listApiKeys: Operation<'listApiKeys'> = async ({ principal, query }, { tenants, cursors }) => {
  const scope = `keys:${principal.tenantId}`;
  const after = query.cursor === undefined ? undefined : (cursors.decode(query.cursor, scope) as PageKey);
  const page = await tenants.listKeys(principal.tenantId, query.limit, after);
  return {
    statusCode: 200,
    body: { items: page.keys, nextCursor: page.lastKey ? cursors.encode(page.lastKey, scope) : null },
  };
};
