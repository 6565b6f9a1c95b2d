import type { Operation } from './index.js';

export const getAttachmentContent: Operation<'getAttachmentContent'> = async (
  { principal, params },
  { attachments },
) => {
  const url = await attachments.downloadUrl(
    principal.tenantId,
    params.id as string,
    params.attachmentId as string,
  );
  return { statusCode: 303, headers: { location: url, 'cache-control': 'no-store' } };
};
