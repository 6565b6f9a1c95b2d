import type { Operation } from './index.js';

export const listAttachments: Operation<'listAttachments'> = async (
  { principal, params },
  { attachments },
) => {
  // An order has at most a few dozen files: one page, no cursor.
  const items = await attachments.list(principal.tenantId, params.id as string);
  return { statusCode: 200, body: { items, nextCursor: null } };
};
