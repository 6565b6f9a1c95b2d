import * as z from 'zod';

/** The largest file the API hands out an upload URL for (api.md, "Attachments (files)"). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
/** How long an upload or download URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_SECONDS = 5 * 60;

export const ATTACHMENT_KINDS = ['spec', 'diagram', 'proof', 'other'] as const;

export const CreateAttachmentRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ATTACHMENT_KINDS),
  contentType: z
    .string()
    .max(100)
    .regex(
      /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/,
      'A media type such as "application/pdf" (lower case, no parameters).',
    ),
  size: z.int().min(1).max(MAX_ATTACHMENT_BYTES, `At most ${MAX_ATTACHMENT_BYTES} bytes (25 MiB).`),
});
export type CreateAttachmentRequest = z.output<typeof CreateAttachmentRequest>;

export const FileAttachment = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ATTACHMENT_KINDS),
  contentType: z.string(),
  size: z.int(),
  /** `pending` until the object exists in storage with the declared size and content type. */
  status: z.enum(['pending', 'available']),
  createdAt: z.string(),
});
export type FileAttachment = z.output<typeof FileAttachment>;

export const AttachmentUpload = z.object({
  method: z.literal('PUT'),
  url: z.string(),
  /** Send exactly these headers: the URL's signature covers them, so storage refuses others. */
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const CreatedAttachment = z.object({ attachment: FileAttachment, upload: AttachmentUpload });
