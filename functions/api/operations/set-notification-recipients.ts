import type { Operation } from './index.js';

export const setNotificationRecipients: Operation<'setNotificationRecipients'> = async (
  { principal, body },
  { notifications },
) => {
  await notifications.setRecipients(principal.tenantId, body);
  return { statusCode: 200, body };
};
