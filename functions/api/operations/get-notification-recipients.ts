import type { Operation } from './index.js';

export const getNotificationRecipients: Operation<'getNotificationRecipients'> = async (
  { principal },
  { notifications },
) => ({ statusCode: 200, body: await notifications.recipients(principal.tenantId) });
