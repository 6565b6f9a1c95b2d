import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../shared/adapters/aws/ses-mailer.js';
import { env, secretString } from '../runtime.js';
import { createTaskHandler } from './handler.js';
import { wireTasks } from './wiring.js';

/** The workflow-task function's Lambda entry point on AWS. */
export const handler = createTaskHandler(
  wireTasks({
    tableName: env('TABLE_NAME'),
    actionSigningKey: await secretString(env('ACTION_SIGNING_KEY_SECRET_ARN')),
    mailer: new SesMailer(new SESv2Client({}), {
      from: env('EMAIL_SENDER'),
      configurationSetName: env('EMAIL_CONFIGURATION_SET'),
    }),
  }),
);
