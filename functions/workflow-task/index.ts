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
    // Without a sender (the EmailSender deploy parameter left empty) email actions fail.
    ...(process.env.EMAIL_SENDER
      ? {
          mailer: new SesMailer(new SESv2Client({}), {
            from: process.env.EMAIL_SENDER,
            configurationSetName: env('EMAIL_CONFIGURATION_SET'),
          }),
        }
      : {}),
  }),
);
