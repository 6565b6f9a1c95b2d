import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MAX_ATTACHMENT_BYTES } from '../../shared/attachments/schema.js';
import { nagResource } from '../nag.js';

/** Every attachment object key starts here (shared/attachments/object-storage.ts). */
const OBJECT_PREFIX = 'tenants/';

export interface AttachmentsProps {
  /** Keep the files when the stack is deleted (with the table's deletion protection). */
  retain: boolean;
}

/**
 * The bucket order files are uploaded to with presigned URLs: private (public access
 * blocked, objects owned by the bucket), TLS only, encrypted, its access logged, and
 * multipart uploads nobody completed removed after a day.
 */
export class Attachments extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: AttachmentsProps) {
    super(scope, id);
    // Log delivery granted by bucket policy rather than by ACL (CDK's newer default behaviour).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const removal = props.retain
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: false };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      ...removal,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'attachments/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      ...removal,
    });
  }

  /** Lets the page served from `origin` (the console) PUT uploads and GET downloads with presigned URLs. */
  allowBrowserOrigin(origin: string): void {
    this.bucket.addCorsRule({
      allowedOrigins: [origin],
      allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
      allowedHeaders: ['content-type', 'content-length'],
      maxAge: 3000,
    });
  }

  /**
   * What the api function needs: sign uploads (PutObject) and downloads (GetObject), HEAD an
   * object (GetObject, and ListBucket so a missing object is a 404 rather than a 403), and
   * delete one. Only under the attachments prefix; no bucket administration.
   */
  grantApi(fn: IFunction): void {
    const objects = this.bucket.arnForObjects(`${OBJECT_PREFIX}*`);
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'AttachmentObjects',
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [objects],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'AttachmentsMissingIs404',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    const policy = (fn.role as iam.Role | undefined)?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, objects)}]`,
        reason: `Attachment keys are created per tenant, order and file at run time; the grant is limited to the bucket's ${OBJECT_PREFIX} prefix. Uploads are capped at ${MAX_ATTACHMENT_BYTES} bytes by the signed Content-Length.`,
      });
    }
  }
}
