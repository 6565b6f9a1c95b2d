import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { attachmentsS3Client } from '../shared/adapters/aws/s3-client.js';
import { S3ObjectStorage } from '../shared/adapters/aws/s3-object-storage.js';
import { SesMailer } from '../shared/adapters/aws/ses-mailer.js';
import type { ObjectStorage } from '../shared/attachments/object-storage.js';
import type { Mailer } from '../shared/notifications/mailer.js';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, type S3Local, startS3Local } from './s3-local.js';
import { type SesLocal, startSesLocal } from './ses-local.js';

/** The address local email actions send from (the local SES accepts any). */
export const LOCAL_SENDER = 'orders@orderflow.localhost';

export interface LocalFilesAndMail {
  s3: S3Local;
  ses: SesLocal;
  attachmentStorage: ObjectStorage;
  mailer: Mailer;
  stop(): Promise<void>;
}

/**
 * The local S3 server (attachments, under `<data>/s3`, or a temporary folder removed on stop
 * when the stack keeps no data) and the local SES server (sent mail, in memory), with the
 * same adapters the AWS functions use pointed at them.
 */
export async function startLocalFilesAndMail(options: {
  dataDir: string | undefined;
  s3Port?: number;
  sesPort?: number;
}): Promise<LocalFilesAndMail> {
  const s3 = await startS3Local({
    ...(options.dataDir ? { dataDir: join(options.dataDir, 's3') } : {}),
    ...(options.s3Port ? { port: options.s3Port } : {}),
  });
  let ses: SesLocal;
  try {
    ses = await startSesLocal(options.sesPort ? { port: options.sesPort } : {});
  } catch (error) {
    await s3.stop();
    throw error;
  }
  const s3Client = attachmentsS3Client({
    endpoint: s3.endpoint,
    region: LOCAL_S3_REGION,
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
  const sesClient = new SESv2Client({
    endpoint: ses.endpoint,
    region: LOCAL_S3_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    s3,
    ses,
    attachmentStorage: new S3ObjectStorage(s3Client, s3.bucket),
    mailer: new SesMailer(sesClient, { from: LOCAL_SENDER }),
    async stop() {
      s3Client.destroy();
      sesClient.destroy();
      await ses.stop();
      await s3.stop();
    },
  };
}
