/** Where attachment files live (S3 on AWS, the local S3 server on the local stack). */
export interface ObjectStorage {
  /**
   * A URL that accepts one PUT of exactly `size` bytes of `contentType` to `key`: the
   * signature covers both headers, so storage itself refuses any other size or type.
   */
  presignUpload(input: {
    key: string;
    contentType: string;
    size: number;
    expiresInSeconds: number;
  }): Promise<{ url: string; headers: Record<string, string> }>;
  /** A URL that GETs `key` and nothing else, served as a download named `fileName`. */
  presignDownload(input: { key: string; fileName: string; expiresInSeconds: number }): Promise<string>;
  /** The stored object's size and content type, or undefined while it does not exist. */
  head(key: string): Promise<{ size: number; contentType: string | undefined } | undefined>;
  delete(key: string): Promise<void>;
}

/** Every attachment's object key starts with its tenant and order, so a key from one order never names another's. */
export function attachmentObjectKey(tenantId: string, orderId: string, attachmentId: string): string {
  return `tenants/${tenantId}/orders/${orderId}/${attachmentId}`;
}
