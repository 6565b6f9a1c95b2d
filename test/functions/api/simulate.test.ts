import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowJsonSchema } from '../../../shared/workflow/json-schema.js';
import { eventually } from '../../support/eventually.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();
const printShop = JSON.parse(
  readFileSync(new URL('../../../examples/print-shop.workflow.json', import.meta.url), 'utf8'),
);
const simulate = (body: unknown, key?: string) =>
  api.call('/v1/workflow/simulate', { method: 'POST', body, ...(key ? { key } : {}) });

describe('POST /v1/workflow/simulate', () => {
  it('takes the path a real order takes, with the same state transitions, and stores nothing', async () => {
    const { apiKey, tenantId } = await api.newTenant('Twin');
    const steps = [
      { to: 'submitted' },
      { to: 'confirmed' },
      { to: 'completed' },
      { to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: '1Z999' } },
    ];
    const simulated = await simulate({ order: sampleOrder, steps }, apiKey);
    expect(simulated.status).toBe(200);
    expect(simulated.body.workflow).toEqual({ name: 'Default', version: 0 });
    expect(simulated.body.path.map((visit: { stage: string }) => visit.stage)).toEqual([
      'preliminary',
      'submitted',
      'confirmed',
      'completed',
      'shipped',
    ]);
    expect((await api.call('/v1/orders', { key: apiKey })).body.items).toEqual([]);

    const { body: order } = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    for (const step of steps) {
      // As the simulator does: each move meets the execution resting at its stage's wait.
      await eventually('the order to wait for its next move', async () =>
        api.stack.engine.isWaiting(tenantId, order.id) ? true : undefined,
      );
      const moved = await api.call(`/v1/orders/${order.id}/transitions`, {
        method: 'POST',
        key: apiKey,
        body: step,
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }
    await eventually('the execution to end', async () =>
      api.stack.engine.isRunning(tenantId, order.id) ? undefined : true,
    );
    const engineTransitions = [...api.stack.engine.stateTransitions.entries()].find(([name]) =>
      name.startsWith(order.id),
    )?.[1];
    expect(simulated.body.stateTransitions).toBe(engineTransitions);
  });

  it('simulates a document before it is published, refusing what the API would refuse', async () => {
    const response = await simulate({
      document: printShop,
      order: sampleOrder,
      steps: [{ to: 'proofing' }, { to: 'approved' }, { wait: 'P14D' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.refused).toEqual([
      {
        step: 1,
        status: 422,
        problem: expect.objectContaining({
          errors: [expect.objectContaining({ path: '/requires/attachments' })],
        }),
      },
    ]);
    expect(response.body.path.at(-1)).toMatchObject({ stage: 'cancelled', cause: 'timeout' });
    expect(response.body.estimatedUsdPer1000Orders).toBeGreaterThan(0);
    expect((await api.call('/v1/workflow')).headers.get('workflow-version')).toBe('0');
  });

  it('names every problem of a bad document (422), or of a malformed order or step (400)', async () => {
    const response = await simulate({
      document: { ...printShop, initialStage: 'nowhere' },
      order: { currency: 'GBP', items: [] },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(
      '/document/initialStage',
    );
    const malformed = await simulate({ order: { items: 'x' }, steps: [{ go: 'x' }, { wait: 'soon' }] });
    expect(malformed.status).toBe(400);
    const paths = malformed.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/order/currency', '/order/items', '/steps/0', '/steps/1']),
    );
    expect((await simulate({ version: 42, order: sampleOrder })).status).toBe(404);
  });
});

describe('GET /schemas/workflow-v1.json', () => {
  it('serves the workflow JSON Schema without a key', async () => {
    const response = await api.call('/schemas/workflow-v1.json', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/schema+json');
    expect(response.body).toEqual(workflowJsonSchema());
  });
});
