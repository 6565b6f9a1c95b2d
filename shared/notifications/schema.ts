import * as z from 'zod';
import { ROLE_PATTERN } from '../auth/role.js';

export const MAX_RECIPIENT_ROLES = 20;
export const MAX_ADDRESSES_PER_ROLE = 50;

/** `PUT /v1/notifications/recipients`: the addresses each `role:<role>` recipient reaches. */
export const NotificationRecipients = z
  .record(
    z.string().regex(ROLE_PATTERN, `A role matches ${ROLE_PATTERN.source}.`),
    z
      .array(z.email().max(254))
      .max(MAX_ADDRESSES_PER_ROLE, `At most ${MAX_ADDRESSES_PER_ROLE} addresses per role.`),
  )
  .refine((value) => Object.keys(value).length <= MAX_RECIPIENT_ROLES, {
    message: `At most ${MAX_RECIPIENT_ROLES} roles.`,
  });
export type NotificationRecipients = z.output<typeof NotificationRecipients>;
