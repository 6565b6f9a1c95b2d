import { Sku } from '../../../shared/actions/schema.js';
import { parseOrThrow } from '../../../shared/validation.js';
import type { Operation } from './index.js';

export const setInventory: Operation<'setInventory'> = async ({ principal, params, body }, { inventory }) => {
  const sku = parseOrThrow(Sku, params.sku, 'The SKU in the path is not valid.', '/params/sku');
  return { statusCode: 200, body: await inventory.set(principal.tenantId, sku, body) };
};
