import { env, secretString } from '../runtime.js';
import { createTaskHandler } from './handler.js';
import { wireTasks } from './wiring.js';

/** The workflow-task function's Lambda entry point on AWS. */
export const handler = createTaskHandler(
  wireTasks({
    tableName: env('TABLE_NAME'),
    actionSigningKey: await secretString(env('ACTION_SIGNING_KEY_SECRET_ARN')),
  }),
);
