import { describe, expect, it } from 'vitest';
import { MAX_CONSECUTIVE_AUTO_MOVES } from '../../shared/orders/workflow-tasks.js';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();

/** Both conditions always hold, so the two stages hand the order back and forth. */
const always = { field: 'itemCount', op: 'gte', value: 0 };
const pingPong = {
  format: 'orderflow.workflow/v1',
  name: 'Ping-pong',
  initialStage: 'ping',
  stages: [
    { id: 'ping', transitions: [{ to: 'pong', auto: true, when: always }, { to: 'done' }] },
    { id: 'pong', transitions: [{ to: 'ping', auto: true, when: always }, { to: 'done' }] },
    { id: 'done', final: true },
  ],
};

async function allEvents(key: string, orderId: string) {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(
      `/v1/orders/${orderId}/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { key },
    );
    events.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

describe('an auto-transition loop whose conditions keep holding', () => {
  it('is stopped after a bounded number of moves, with an event saying why, and can be moved on', async () => {
    const { apiKey } = await api.newTenant('Loop shop');
    const published = await api.call('/v1/workflow', { method: 'PUT', key: apiKey, body: pingPong });
    expect(published.status).toBe(201);
    const created = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: { currency: 'GBP' } });
    const orderId = created.body.id;

    const stopped = await eventually(
      'the loop to be stopped',
      async () =>
        (await allEvents(apiKey, orderId)).find((event) => event.type === 'order.auto_moves_stopped'),
      60_000,
    );
    expect(stopped.data.moves).toBe(MAX_CONSECUTIVE_AUTO_MOVES);
    const moves = (await allEvents(apiKey, orderId)).filter((event) => event.type === 'order.stage_changed');
    expect(moves).toHaveLength(MAX_CONSECUTIVE_AUTO_MOVES);

    // Stopped for good: the version no longer climbs.
    const before = (await api.call(`/v1/orders/${orderId}`, { key: apiKey })).body;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = (await api.call(`/v1/orders/${orderId}`, { key: apiKey })).body;
    expect(after.version).toBe(before.version);

    const moved = await api.call(`/v1/orders/${orderId}/transitions`, {
      method: 'POST',
      key: apiKey,
      body: { to: 'done' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('done');
  }, 90_000);
});
