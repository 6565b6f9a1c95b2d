import type { ProposedChange } from '../../../shared/changes/schema.js';
import { storedResponse, toResult } from '../edge.js';
import type { Operation } from './index.js';

const rejected = (change: ProposedChange) => ({ statusCode: 200, body: change });

export const rejectOrderChange: Operation<'rejectOrderChange'> = async (
  { principal, params, body, idempotency },
  { changes },
) => {
  const change = await changes.reject(
    principal,
    params.id as string,
    params.changeId as string,
    body.note,
    (next) =>
      idempotency ? { ...idempotency, response: storedResponse(toResult(rejected(next))) } : undefined,
  );
  return { ...rejected(change), idempotencyRecorded: idempotency !== undefined };
};
