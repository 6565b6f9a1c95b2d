import type { Operation } from './index.js';

export const createAttachment: Operation<'createAttachment'> = async (
  { principal, params, body },
  { attachments },
) => {
  const orderId = params.id as string;
  const created = await attachments.create(principal.tenantId, orderId, body);
  return {
    statusCode: 201,
    headers: { location: `/v1/orders/${orderId}/attachments/${created.attachment.id}` },
    body: created,
  };
};
