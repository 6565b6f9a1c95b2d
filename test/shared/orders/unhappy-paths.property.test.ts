import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/auth/api-keys.js';
import type { NewEvent } from '../../../shared/events/catalog.js';
import { planPlaceHold, planReleaseHold } from '../../../shared/orders/holds.js';
import { newOrder } from '../../../shared/orders/order.js';
import type { OrderRecord } from '../../../shared/orders/order-store.js';
import { planReturnRequest, planReturnStep } from '../../../shared/orders/returns.js';
import { CreateOrderRequest, type Order } from '../../../shared/orders/schema.js';
import { planManualTransition, planShipment } from '../../../shared/orders/transitions.js';
import { ProblemError } from '../../../shared/problem.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';

const principal: Principal = { tenantId: 'ten_1', keyId: 'key_1', role: 'owner', scopes: ['*'] };
const actor = { type: 'key' as const, keyId: 'key_1', role: 'owner' };
const skus = ['A', 'B', 'C'];

/** One step a client might take; most will be refused in the state they meet. */
const stepArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('hold' as const) }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat(3) }),
  fc.record({
    kind: fc.constant('ship' as const),
    items: fc.option(
      fc.array(fc.record({ sku: fc.constantFrom(...skus, 'X'), quantity: fc.integer({ min: 1, max: 4 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      { nil: undefined },
    ),
  }),
  fc.record({
    kind: fc.constant('return' as const),
    items: fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    kind: fc.constant('returnStep' as const),
    pick: fc.nat(3),
    to: fc.constantFrom('received' as const, 'refunded' as const, 'rejected' as const),
    amount: fc.nat(2000),
  }),
  fc.record({
    kind: fc.constant('move' as const),
    to: fc.constantFrom('submitted', 'confirmed', 'completed', 'shipped', 'cancelled', 'preliminary'),
  }),
);

function start(quantities: number[]): OrderRecord {
  const order = newOrder({
    request: CreateOrderRequest.parse({
      currency: 'GBP',
      customer: { name: 'Ada', email: 'ada@example.com' },
      items: quantities.map((quantity, index) => ({ sku: skus[index], quantity, unitPrice: 100 })),
      shipping: { method: 'pickup' },
    }),
    stage: 'preliminary',
    workflowVersion: 0,
    workflowRevision: 2,
    now: new Date('2026-12-01T00:00:00.000Z'),
  });
  return {
    order,
    lastSequence: 1,
    entry: 1,
    stageEnteredAt: order.createdAt,
    actionResults: {},
    attempt: 0,
    halted: false,
  };
}

type Step = typeof stepArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The planned change for a step, or undefined when the domain refuses it with a 4xx. */
function plan(record: OrderRecord, step: Step, now: Date): { order: Order; events: NewEvent[] } | undefined {
  const { order } = record;
  try {
    switch (step.kind) {
      case 'hold':
        return planPlaceHold({ record, workflow: defaultWorkflow, request: { reason: 'other' }, actor, now });
      case 'release': {
        const hold = (order.holds ?? [])[step.pick % Math.max(1, order.holds?.length ?? 1)];
        if (!hold) return undefined;
        return planReleaseHold({
          tenantId: 'ten_1',
          record,
          holdId: hold.id,
          actor,
          now,
          recheck: () => undefined,
        });
      }
      case 'ship':
        return planShipment({
          record,
          workflow: defaultWorkflow,
          request: { ...(step.items ? { items: step.items } : {}) },
          actor,
          now,
        });
      case 'return':
        return planReturnRequest({ order, request: { items: step.items }, actor, now });
      case 'returnStep': {
        const existing = (order.returns ?? [])[step.pick % Math.max(1, order.returns?.length ?? 1)];
        if (!existing) return undefined;
        const choice =
          step.to === 'received'
            ? { to: 'received' as const, restock: true }
            : step.to === 'refunded'
              ? { to: 'refunded' as const, refund: { amount: step.amount } }
              : { to: 'rejected' as const };
        return planReturnStep({ order, returnId: existing.id, step: choice, actor, now });
      }
      case 'move':
        return planManualTransition({
          record,
          workflow: defaultWorkflow,
          request: { to: step.to },
          principal,
          actor,
          ifMatchVersion: undefined,
          now,
        });
    }
  } catch (error) {
    if (error instanceof ProblemError && error.status >= 400 && error.status < 500) return undefined;
    throw error;
  }
}

describe('holds, shipments, returns and transitions in any order', () => {
  it('never ship more than ordered, return more than shipped, move a held order without override, or skip a version', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.array(stepArbitrary, { maxLength: 40 }),
        (quantities, steps) => {
          let record = start(quantities);
          let sequence = 1;
          steps.forEach((step, index) => {
            const now = new Date(Date.parse(record.order.createdAt) + (index + 1) * 1000);
            const before = record.order;
            const planned = plan(record, step, now);
            if (!planned) return;
            const { order } = planned;
            expect(order.version).toBe(before.version + 1);
            if (order.stage !== before.stage && (before.holds?.length ?? 0) > 0) {
              // Only the default's overriding transitions move a held order.
              expect(order.stage).toBe('cancelled');
            }
            for (const item of order.items) {
              const shipped = order.shipments
                .flatMap((shipment) => shipment.items)
                .filter((line) => line.sku === item.sku)
                .reduce((sum, line) => sum + line.quantity, 0);
              expect(shipped).toBeLessThanOrEqual(item.quantity);
              expect(item.shippedQuantity ?? 0).toBe(shipped);
              const returned = (order.returns ?? [])
                .filter((candidate) => candidate.status !== 'rejected')
                .flatMap((candidate) => candidate.items)
                .filter((line) => line.sku === item.sku)
                .reduce((sum, line) => sum + line.quantity, 0);
              expect(returned).toBeLessThanOrEqual(shipped);
            }
            for (const each of order.returns ?? []) {
              if (each.refund) expect(each.refund.amount).toBeLessThanOrEqual(each.value);
            }
            // Every change is recorded: its events extend the history without a gap.
            expect(planned.events.length).toBeGreaterThan(0);
            sequence += planned.events.length;
            record = {
              ...record,
              order,
              lastSequence: sequence,
              entry: order.stage === before.stage ? record.entry : record.entry + 1,
            };
          });
          expect(record.lastSequence).toBe(sequence);
        },
      ),
      { numRuns: 300 },
    );
  });
});
