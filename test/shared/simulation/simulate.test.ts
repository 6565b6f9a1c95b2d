import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleOrder } from '../../../local/sample-order.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { type SimulationStep, SimulationStep as StepSchema } from '../../../shared/simulation/schema.js';
import { simulate } from '../../../shared/simulation/simulate.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import type { Workflow } from '../../../shared/workflow/schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const printShop = validateWorkflow(
  JSON.parse(readFileSync(new URL('../../../examples/print-shop.workflow.json', import.meta.url), 'utf8')),
).workflow as Workflow;
const order = CreateOrderRequest.parse({
  ...sampleOrder,
  attachments: [{ name: 'proof.pdf', kind: 'proof', url: 'https://files.example.com/proof.pdf' }],
});
const startAt = '2026-12-01T09:00:00.000Z';
const run = (workflow: Workflow, steps: unknown[], role = 'owner') =>
  simulate({ workflow, order, steps: steps.map((step) => StepSchema.parse(step)), role, startAt });

describe('simulating a sample order', () => {
  it('follows manual steps and automatic routes, listing the actions that would run in each stage', async () => {
    const result = await run(printShop, [
      { to: 'proofing' },
      { to: 'approved' },
      { to: 'ready' },
      { to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: '1Z1' } },
    ]);
    expect(result.path.map(({ stage, cause }) => [stage, cause])).toEqual([
      ['quote', 'created'],
      ['proofing', 'api'],
      ['approved', 'api'],
      ['production', 'auto'],
      ['ready', 'api'],
      ['shipped', 'api'],
    ]);
    expect(result.actions.map((action) => `${action.stage}/${action.id}`)).toEqual([
      'proofing/send-proof',
      'approved/reserve',
      'approved/order-paper',
      'production/print',
      'production/finish',
      'production/erp-sync',
    ]);
    expect(result.actions[5]?.params).toMatchObject({ url: 'https://erp.example.com/orderflow/production' });
    expect(result).toMatchObject({ refused: [], finalStage: 'shipped', truncated: false });
  });

  it('answers each refused step with the problem the API gives, and goes on with the rest', async () => {
    const result = await run(
      printShop,
      [{ to: 'shipped' }, { to: 'proofing' }, { to: 'approved' }, { to: 'cancelled' }],
      'clerk',
    );
    expect(result.refused.map(({ step, status }) => [step, status])).toEqual([
      [0, 409],
      [3, 403],
    ]);
    expect(result.refused[0]?.problem).toMatchObject({ stage: 'quote', allowed: ['proofing', 'cancelled'] });
    expect(result.refused[1]?.problem.detail).toContain('production_manager');
    // A 422 names every unmet requirement, as POST /transitions would.
    const bare = await simulate({
      workflow: printShop,
      order: CreateOrderRequest.parse({ currency: 'GBP', items: [] }),
      steps: [StepSchema.parse({ to: 'proofing' })],
      role: 'owner',
      startAt,
    });
    expect(bare.refused[0]).toMatchObject({ status: 422 });
    expect(bare.refused[0]?.problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/requires/items' })]),
    );
  });

  it('fires a stage timeout when simulated time passes it, without sleeping', async () => {
    const early = await run(printShop, [{ to: 'proofing' }, { wait: 'P13D' }]);
    expect(early.finalStage).toBe('proofing');
    const late = await run(printShop, [{ to: 'proofing' }, { wait: 'P13D' }, { wait: 'PT24H' }]);
    expect(late.path.at(-1)).toEqual({
      stage: 'cancelled',
      cause: 'timeout',
      at: '2026-12-15T09:00:00.000Z',
    });
    expect(late.actions.at(-1)).toMatchObject({ stage: 'cancelled', type: 'inventory.release' });
    expect(late.endedAt).toBe('2026-12-15T09:00:00.000Z');
  });

  it('re-checks auto transitions when item progress makes them hold', async () => {
    const readiness = validateWorkflow(
      JSON.parse(
        readFileSync(new URL('../../../examples/item-readiness.workflow.json', import.meta.url), 'utf8'),
      ),
    ).workflow as Workflow;
    const result = await run(readiness, [
      { to: 'submitted' },
      { to: 'confirmed' },
      { progress: { sku: 'CARD-100', status: 'ready' } },
      { progress: { sku: 'FLYER-A5', status: 'ready' } },
      { progress: { code: 'design', status: 'done' } },
    ]);
    expect(result.path.at(-1)).toMatchObject({ stage: 'completed', cause: 'auto' });
  });

  it('prices the path with the benchmark price table: more state transitions cost more', async () => {
    const short = await run(defaultWorkflow, [{ to: 'cancelled' }]);
    const long = await run(defaultWorkflow, [
      { to: 'submitted' },
      { to: 'confirmed' },
      { to: 'completed' },
      { to: 'shipped', shipment: { carrier: 'UPS', trackingNumber: '1Z999' } },
    ]);
    expect(long.finalStage).toBe('shipped');
    expect(long.stateTransitions).toBeGreaterThan(short.stateTransitions);
    expect(long.estimatedUsdPer1000Orders).toBeGreaterThan(short.estimatedUsdPer1000Orders);
    expect(long.estimate.usdPer1000Orders.stepFunctions).toBeCloseTo(long.stateTransitions * 0.025, 5);
  });

  it('stops at its bound on state transitions instead of running on through a year of re-armed waits', async () => {
    const result = await simulate({
      workflow: defaultWorkflow,
      order,
      steps: [StepSchema.parse({ wait: 'P365D' })],
      role: 'owner',
      startAt,
      maxStateTransitions: 5,
    });
    expect(result.truncated).toBe(true);
    // Unbounded, the wait re-arms every 24 days: 16 waits in a year. The count may pass the bound
    // by the states already under way when it is reached.
    const unbounded = await run(defaultWorkflow, [{ wait: 'P365D' }]);
    expect(unbounded.stateTransitions).toBeGreaterThanOrEqual(16);
    expect(result.stateTransitions).toBeLessThan(10);
  });

  it('never fails on any sequence of steps, and only ever visits stages of the workflow', async () => {
    const stageIds = printShop.stages.map((stage) => stage.id);
    const step: fc.Arbitrary<SimulationStep> = fc.oneof(
      fc.constantFrom(...stageIds, 'nowhere').map((to) => ({ to })),
      fc.constantFrom('P1D', 'P15D', 'PT1H').map((wait) => ({ wait })),
      fc
        .record({ sku: fc.constantFrom('CARD-100', 'NOPE'), status: fc.constantFrom('ready', 'pending') })
        .map((progress) => ({ progress: progress as { sku: string; status: 'ready' | 'pending' } })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 8 }),
        fc.constantFrom('owner', 'production_manager'),
        async (steps, role) => {
          const result = await simulate({ workflow: printShop, order, steps, role, startAt });
          for (const visit of result.path) expect(stageIds).toContain(visit.stage);
          for (const refusal of result.refused) expect([403, 404, 409, 422]).toContain(refusal.status);
          expect(result.finalStage).toBe(result.path.at(-1)?.stage);
        },
      ),
      { numRuns: 40 },
    );
  });
});
