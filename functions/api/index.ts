import { hashApiKey } from '../../shared/auth/api-keys.js';
import { env, secretString } from '../runtime.js';
import { createApiHandler } from './handler.js';
import { wireApi } from './wiring.js';

/** The api function's Lambda entry point on AWS. */
export const handler = createApiHandler(
  wireApi({
    tableName: env('TABLE_NAME'),
    adminKeyHash: hashApiKey(await secretString(env('ADMIN_KEY_SECRET_ARN'))),
    cursorSecret: await secretString(env('CURSOR_SECRET_ARN')),
  }),
);
