import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * An S3 client whose presigned URLs carry no flexible checksum (an upload URL would otherwise
 * sign the checksum of an empty body). `endpoint` points it at the local S3 server.
 */
export function attachmentsS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}
