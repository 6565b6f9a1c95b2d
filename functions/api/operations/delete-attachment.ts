import type { Operation } from './index.js';

export const deleteAttachment: Operation<'deleteAttachment'> = async (
  { principal, params },
  { attachments },
) => {
  await attachments.delete(principal.tenantId, params.id as string, params.attachmentId as string);
  return { statusCode: 204 };
};
