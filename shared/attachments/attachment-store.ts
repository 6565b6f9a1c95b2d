import type { FileAttachment } from './schema.js';

/** File attachments of orders, kept beside each order. */
export interface AttachmentStore {
  create(tenantId: string, orderId: string, attachment: FileAttachment): Promise<void>;
  get(tenantId: string, orderId: string, attachmentId: string): Promise<FileAttachment | undefined>;
  /** Every file attachment of the order, oldest first (an order has at most a few dozen). */
  listOfOrder(tenantId: string, orderId: string): Promise<FileAttachment[]>;
  markAvailable(tenantId: string, orderId: string, attachmentId: string): Promise<void>;
  delete(tenantId: string, orderId: string, attachmentId: string): Promise<void>;
}
