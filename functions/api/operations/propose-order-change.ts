import type { ProposedChange } from '../../../shared/changes/schema.js';
import { storedResponse, toResult } from '../edge.js';
import type { Operation } from './index.js';

const created = (change: ProposedChange) => ({
  statusCode: 201,
  headers: { location: `/v1/orders/${change.orderId}/changes/${change.id}` },
  body: change,
});

export const proposeOrderChange: Operation<'proposeOrderChange'> = async (
  { principal, params, body, idempotency },
  { changes },
) => {
  const change = await changes.propose(principal, params.id as string, body, (draft) =>
    idempotency ? { ...idempotency, response: storedResponse(toResult(created(draft))) } : undefined,
  );
  return { ...created(change), idempotencyRecorded: idempotency !== undefined };
};
