import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStorage } from '../../attachments/object-storage.js';

/** The headers an upload URL's signature covers: storage refuses a PUT whose size or type differ. */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);

/**
 * Attachment files in one S3 bucket. The client must be built with
 * `requestChecksumCalculation: 'WHEN_REQUIRED'` (see `attachmentsS3Client`): otherwise the
 * presigner signs a checksum of an empty body into every upload URL and S3 refuses the file.
 */
export class S3ObjectStorage implements ObjectStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async presignUpload(input: { key: string; contentType: string; size: number; expiresInSeconds: number }) {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.size,
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: input.expiresInSeconds,
      signableHeaders: SIGNED_UPLOAD_HEADERS,
    });
    return { url, headers: { 'content-type': input.contentType, 'content-length': String(input.size) } };
  }

  presignDownload(input: { key: string; fileName: string; expiresInSeconds: number }): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        // Always a download, never rendered in the browser under the bucket's origin.
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(input.fileName)}`,
      }),
      { expiresIn: input.expiresInSeconds },
    );
  }

  async head(key: string) {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
