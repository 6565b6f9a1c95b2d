import { ProblemError } from '../../../shared/problem.js';
import type { Operation } from './index.js';

/** Ready only when the database answers: a 503 names the part that is down. */
export const health: Operation<'health'> = async (_request, { dependencies }) => {
  if (await dependencies.databaseReachable()) {
    return { statusCode: 200, body: { status: 'ok', dependencies: { database: 'up' } } };
  }
  throw new ProblemError(
    503,
    'unavailable',
    'The database is not answering; data calls answer 503 until it does.',
    {
      extensions: { dependencies: { database: 'down' } },
    },
  );
};
