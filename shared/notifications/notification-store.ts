import type { NotificationRecipients } from './schema.js';

/** Which send of an `email` action: one per order, stage entry and action id. */
export interface EmailSendKey {
  tenantId: string;
  orderId: string;
  entry: number;
  actionId: string;
}

export interface NotificationStore {
  recipients(tenantId: string): Promise<NotificationRecipients>;
  setRecipients(tenantId: string, recipients: NotificationRecipients): Promise<void>;
  /**
   * Records that this send is about to be made, unless it was recorded before: true when
   * this call recorded it (and so must send), false when an earlier run did.
   */
  claimSend(key: EmailSendKey, claimedAt: string): Promise<boolean>;
  /** The mail service answered with its message id. */
  recordSent(key: EmailSendKey, messageId: string): Promise<void>;
  /** The mail service refused the message, so nothing went out and a retry may send it. */
  releaseClaim(key: EmailSendKey): Promise<void>;
}
