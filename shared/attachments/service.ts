import { newId } from '../ids.js';
import { type Order, orderLimits } from '../orders/schema.js';
import type { WorkflowSource } from '../orders/workflow-source.js';
import { problems } from '../problem.js';
import type { Workflow } from '../workflow/schema.js';
import type { AttachmentStore } from './attachment-store.js';
import { attachmentObjectKey, type ObjectStorage } from './object-storage.js';
import {
  type CreateAttachmentRequest,
  DOWNLOAD_URL_SECONDS,
  type FileAttachment,
  UPLOAD_URL_SECONDS,
} from './schema.js';

/** What attachments need to know about the order they belong to. */
export interface AttachmentOrders {
  /** The order's stage, and whether it is editable and final; a 404 problem for an unknown order. */
  stageOf(tenantId: string, orderId: string): Promise<{ stage: string; editable: boolean; final: boolean }>;
}

/**
 * Files uploaded to object storage for an order, never through the API: the API hands out
 * presigned URLs and records what was declared. A file turns `available` once storage holds
 * the object with the declared size and type, checked by a HEAD whenever someone needs to
 * know (listing, a download, the `attachments` requirement): the same on AWS and locally, and
 * no event pipeline to lose or reorder a notification.
 */
export class AttachmentService {
  constructor(
    private readonly store: AttachmentStore,
    private readonly storage: ObjectStorage,
    private readonly orders: AttachmentOrders,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(tenantId: string, orderId: string, request: CreateAttachmentRequest) {
    const { stage, final } = await this.orders.stageOf(tenantId, orderId);
    if (final) throw problems.conflict(`The order is closed in stage "${stage}".`, { stage });
    const existing = await this.store.listOfOrder(tenantId, orderId);
    if (existing.length >= orderLimits.attachments) {
      throw problems.conflict(`An order has at most ${orderLimits.attachments} file attachments.`);
    }
    const now = this.clock();
    const attachment: FileAttachment = {
      id: newId('att', now.getTime()),
      name: request.name,
      kind: request.kind,
      contentType: request.contentType,
      size: request.size,
      status: 'pending',
      createdAt: now.toISOString(),
    };
    await this.store.create(tenantId, orderId, attachment);
    const upload = await this.storage.presignUpload({
      key: attachmentObjectKey(tenantId, orderId, attachment.id),
      contentType: attachment.contentType,
      size: attachment.size,
      expiresInSeconds: UPLOAD_URL_SECONDS,
    });
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
    return { attachment, upload: { method: 'PUT' as const, ...upload, expiresAt } };
  }

  async list(tenantId: string, orderId: string): Promise<FileAttachment[]> {
    await this.orders.stageOf(tenantId, orderId);
    return this.refreshed(tenantId, orderId);
  }

  /** How many of the order's files are in storage as declared (the `attachments` requirement). */
  async availableCount(tenantId: string, orderId: string): Promise<number> {
    const attachments = await this.refreshed(tenantId, orderId);
    return attachments.filter((attachment) => attachment.status === 'available').length;
  }

  async downloadUrl(tenantId: string, orderId: string, attachmentId: string): Promise<string> {
    const attachment = await this.found(tenantId, orderId, attachmentId);
    const current = await this.refresh(tenantId, orderId, attachment);
    if (current.status !== 'available') {
      throw problems.conflict(`Attachment ${attachmentId} has not been uploaded yet.`, {
        attachmentStatus: 'pending',
      });
    }
    return this.storage.presignDownload({
      key: attachmentObjectKey(tenantId, orderId, attachmentId),
      fileName: current.name,
      expiresInSeconds: DOWNLOAD_URL_SECONDS,
    });
  }

  async delete(tenantId: string, orderId: string, attachmentId: string): Promise<void> {
    const { stage, editable } = await this.orders.stageOf(tenantId, orderId);
    await this.found(tenantId, orderId, attachmentId);
    if (!editable) {
      throw problems.conflict(`Attachments cannot be removed in stage "${stage}".`, { stage });
    }
    // The object first: a record without its object is a pending upload, never a dangling file.
    await this.storage.delete(attachmentObjectKey(tenantId, orderId, attachmentId));
    await this.store.delete(tenantId, orderId, attachmentId);
  }

  private async found(tenantId: string, orderId: string, attachmentId: string): Promise<FileAttachment> {
    await this.orders.stageOf(tenantId, orderId);
    const attachment = await this.store.get(tenantId, orderId, attachmentId);
    if (!attachment) throw problems.notFound(`Attachment ${attachmentId}`);
    return attachment;
  }

  private async refreshed(tenantId: string, orderId: string): Promise<FileAttachment[]> {
    const attachments = await this.store.listOfOrder(tenantId, orderId);
    return Promise.all(attachments.map((attachment) => this.refresh(tenantId, orderId, attachment)));
  }

  /** A pending attachment whose object is now stored as declared becomes available, once and for good. */
  private async refresh(
    tenantId: string,
    orderId: string,
    attachment: FileAttachment,
  ): Promise<FileAttachment> {
    if (attachment.status === 'available') return attachment;
    const object = await this.storage.head(attachmentObjectKey(tenantId, orderId, attachment.id));
    if (!object || object.size !== attachment.size || object.contentType !== attachment.contentType) {
      return attachment;
    }
    await this.store.markAvailable(tenantId, orderId, attachment.id);
    return { ...attachment, status: 'available' };
  }
}

/** Reads an order's stage through the order service and its pinned workflow version. */
export function attachmentOrdersOf(
  orders: { get(tenantId: string, orderId: string): Promise<Order> },
  workflows: WorkflowSource<Workflow>,
): AttachmentOrders {
  return {
    async stageOf(tenantId, orderId) {
      const order = await orders.get(tenantId, orderId);
      const pinned = await workflows.version(tenantId, order.workflow.version);
      const stage = pinned?.workflow.stages.find((candidate) => candidate.id === order.stage);
      return { stage: order.stage, editable: stage?.editable === true, final: stage?.final === true };
    },
  };
}
