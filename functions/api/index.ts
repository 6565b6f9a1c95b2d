import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { KmsSecretBox } from '../../shared/adapters/aws/kms-secret-box.js';
import { attachmentsS3Client } from '../../shared/adapters/aws/s3-client.js';
import { S3ObjectStorage } from '../../shared/adapters/aws/s3-object-storage.js';
import { SqsDeliveryQueue } from '../../shared/adapters/aws/sqs-delivery-queue.js';
import { FileConsoleAssets } from '../../shared/adapters/node/file-console-assets.js';
import { WorkerSvgRenderer } from '../../shared/adapters/node/worker-svg-renderer.js';
import { hashApiKey } from '../../shared/auth/api-keys.js';
import { env, secretString } from '../runtime.js';
import { stepFunctionsEngineFromEnv } from '../step-functions.js';
import { createApiHandler } from './handler.js';
import { wireApi } from './wiring.js';

/** The api function's Lambda entry point on AWS. */
export const handler = createApiHandler(
  wireApi({
    tableName: env('TABLE_NAME'),
    adminKeyHash: hashApiKey(await secretString(env('ADMIN_KEY_SECRET_ARN'))),
    cursorSecret: await secretString(env('CURSOR_SECRET_ARN')),
    webhooks: {
      secretBox: new KmsSecretBox(new KMSClient({}), env('WEBHOOK_SECRETS_KEY_ID')),
      queue: new SqsDeliveryQueue(new SQSClient({}), env('DELIVERY_QUEUE_URL'), env('DELIVERY_DLQ_URL')),
      allowLocal: false,
    },
    actionSigningKey: await secretString(env('ACTION_SIGNING_KEY_SECRET_ARN')),
    engine: stepFunctionsEngineFromEnv({ executionLogGroupArn: env('STATE_MACHINE_LOG_GROUP_ARN') }),
    workflowTargets: { tableName: env('TABLE_NAME'), taskFunctionArn: env('WORKFLOW_TASK_FUNCTION_ARN') },
    // infra/extra-bundles.ts puts the console's files beside this bundle.
    consoleAssets: new FileConsoleAssets(new URL('./console/', import.meta.url)),
    // Graphviz loads in the layout worker on the diagram routes only, never at cold start, and
    // the layout deadline holds here as it does locally.
    svgRenderer: new WorkerSvgRenderer(),
    attachmentStorage: new S3ObjectStorage(attachmentsS3Client(), env('ATTACHMENTS_BUCKET')),
  }),
);
