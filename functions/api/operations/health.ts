import type { Operation } from './index.js';

export const health: Operation<'health'> = async () => ({ statusCode: 200, body: { status: 'ok' } });
