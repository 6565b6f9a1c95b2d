import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileChoiceRule } from '../../../shared/workflow/compile.js';
import { CONDITION_FIELDS } from '../../../shared/workflow/condition-language.js';
import { conditionView, evaluateCondition } from '../../../shared/workflow/conditions.js';
import type { Condition } from '../../../shared/workflow/schema.js';
import { conditionArbitrary, conditionViewArbitrary } from './arbitraries.js';

const order = {
  items: [{ quantity: 500 }, { quantity: 2, backordered: 2 }, { quantity: 1, backordered: 0 }],
  totals: { grand: 10_000, currency: 'GBP' },
  customer: { email: 'ada@example.com' },
  shipping: { method: 'pickup' },
  metadata: { po: '4711', rush: true },
};

describe('conditionView', () => {
  it('projects totals, customer email, shipping method, metadata and item counts', () => {
    expect(conditionView(order)).toEqual({
      totals: { grand: 10_000, currency: 'GBP' },
      customer: { email: 'ada@example.com' },
      shipping: { method: 'pickup' },
      metadata: { po: '4711', rush: true },
      itemCount: 3,
      backorderedCount: 1,
      pendingItemCount: 3,
      readyItemCount: 0,
      allItemsReady: false,
      onHold: false,
      allItemsShipped: false,
    });
  });

  it('leaves out what the order lacks instead of inventing values', () => {
    expect(conditionView({ items: [], totals: { grand: 0, currency: 'EUR' } })).toEqual({
      totals: { grand: 0, currency: 'EUR' },
      customer: {},
      shipping: {},
      metadata: {},
      itemCount: 0,
      backorderedCount: 0,
      pendingItemCount: 0,
      readyItemCount: 0,
      allItemsReady: true,
      onHold: false,
      allItemsShipped: true,
    });
  });

  it('counts item and service lines by progress; a line without a status is pending', () => {
    const lines = {
      items: [
        { quantity: 1, status: 'ready' },
        { quantity: 2, status: 'done' },
        { quantity: 3, status: 'pending' },
        { quantity: 4 },
      ],
      services: [{ status: 'ready' }, {}],
      totals: { grand: 0, currency: 'EUR' },
    };
    expect(conditionView(lines)).toMatchObject({
      itemCount: 4,
      pendingItemCount: 3,
      readyItemCount: 3,
      allItemsReady: false,
    });
    const ready = {
      ...lines,
      items: lines.items.map((item) => ({ ...item, status: 'done' })),
      services: [{ status: 'ready' }, { status: 'done' }],
    };
    expect(conditionView(ready)).toMatchObject({
      pendingItemCount: 0,
      readyItemCount: 6,
      allItemsReady: true,
    });
  });

  it('is on hold while a hold is active and all shipped once every item shipped in full', () => {
    const items = [
      { quantity: 2, shippedQuantity: 2 },
      { quantity: 3, shippedQuantity: 1 },
    ];
    const base = { items, totals: { grand: 0, currency: 'EUR' } };
    expect(conditionView({ ...base, holds: [{ id: 'hold_1' }] })).toMatchObject({
      onHold: true,
      allItemsShipped: false,
    });
    const shipped = items.map((item) => ({ ...item, shippedQuantity: item.quantity }));
    expect(conditionView({ ...base, items: shipped, holds: [] })).toMatchObject({
      onHold: false,
      allItemsShipped: true,
    });
  });

  it('carries every condition field with the type CONDITION_FIELDS declares', () => {
    const view = conditionView(order);
    for (const [field, type] of Object.entries(CONDITION_FIELDS)) {
      const value = field.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], view);
      expect(typeof value, field).toBe(type);
    }
  });
});

describe('evaluateCondition', () => {
  const view = conditionView(order);
  const holds = (condition: Condition) => evaluateCondition(condition, view);

  it('compares numbers numerically and strings exactly', () => {
    expect(holds({ field: 'totals.grand', op: 'lt', value: 50_000 })).toBe(true);
    expect(holds({ field: 'totals.grand', op: 'gte', value: 10_000 })).toBe(true);
    expect(holds({ field: 'totals.grand', op: 'gt', value: 10_000 })).toBe(false);
    expect(holds({ field: 'shipping.method', op: 'eq', value: 'pickup' })).toBe(true);
    expect(holds({ field: 'shipping.method', op: 'eq', value: 'Pickup' })).toBe(false);
    expect(holds({ field: 'totals.currency', op: 'lt', value: 'USD' })).toBe(true);
  });

  it('is false for a comparison on a missing field or a field of another type', () => {
    expect(holds({ field: 'metadata.missing', op: 'eq', value: 'x' })).toBe(false);
    expect(holds({ field: 'metadata.missing', op: 'lt', value: 1 })).toBe(false);
    expect(holds({ field: 'metadata.po', op: 'eq', value: 4711 })).toBe(false);
    expect(holds({ field: 'metadata.po', op: 'gt', value: 0 })).toBe(false);
  });

  it('treats ne as not eq, so a missing field is not equal to anything', () => {
    expect(holds({ field: 'metadata.missing', op: 'ne', value: 'x' })).toBe(true);
    expect(holds({ field: 'shipping.method', op: 'ne', value: 'pickup' })).toBe(false);
    expect(holds({ field: 'metadata.po', op: 'ne', value: 4711 })).toBe(true);
  });

  it('tells present fields from missing ones with exists', () => {
    expect(holds({ field: 'metadata.rush', op: 'exists' })).toBe(true);
    expect(holds({ field: 'metadata.missing', op: 'exists' })).toBe(false);
    expect(holds({ field: 'metadata.toString', op: 'exists' })).toBe(false);
  });

  it('matches wildcards, escaped stars and escaped backslashes like StringMatches', () => {
    expect(holds({ field: 'customer.email', op: 'matches', value: '*@example.com' })).toBe(true);
    expect(holds({ field: 'customer.email', op: 'matches', value: 'ada*' })).toBe(true);
    expect(holds({ field: 'customer.email', op: 'matches', value: '*@example.org' })).toBe(false);
    expect(holds({ field: 'customer.email', op: 'matches', value: 'a*a*@*.com' })).toBe(true);
    const starred = { ...view, metadata: { po: 'a*b\\c' } };
    expect(evaluateCondition({ field: 'metadata.po', op: 'matches', value: 'a\\*b\\\\c' }, starred)).toBe(
      true,
    );
    expect(evaluateCondition({ field: 'metadata.po', op: 'matches', value: 'a\\*c*' }, starred)).toBe(false);
    expect(holds({ field: 'totals.grand', op: 'matches', value: '*' })).toBe(false);
  });

  it('compares booleans with eq and ne only, and never with another type', () => {
    const ready = { ...view, allItemsReady: true };
    expect(evaluateCondition({ field: 'allItemsReady', op: 'eq', value: true }, ready)).toBe(true);
    expect(evaluateCondition({ field: 'allItemsReady', op: 'ne', value: true }, ready)).toBe(false);
    expect(holds({ field: 'allItemsReady', op: 'eq', value: false })).toBe(true);
    expect(holds({ field: 'metadata.rush', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'metadata.po', op: 'eq', value: true })).toBe(false);
    expect(holds({ field: 'metadata.po', op: 'ne', value: true })).toBe(true);
    expect(holds({ field: 'pendingItemCount', op: 'gt', value: 0 })).toBe(true);
  });

  it('combines parts with all, any and not', () => {
    const small = { field: 'totals.grand', op: 'lt', value: 50_000 } as const;
    const pickup = { field: 'shipping.method', op: 'eq', value: 'pickup' } as const;
    expect(holds({ all: [small, { not: pickup }] })).toBe(false);
    expect(holds({ any: [{ not: small }, pickup] })).toBe(true);
    expect(holds({ all: [small, pickup] })).toBe(true);
  });
});

type MachineDefinition = ConstructorParameters<typeof StateMachine>[0];

function choiceMachine(conditions: Condition[]): MachineDefinition {
  const states: Record<string, unknown> = {
    T: { Type: 'Pass', Result: 'taken', End: true },
    F: { Type: 'Pass', Result: 'not taken', End: true },
  };
  conditions.forEach((condition, index) => {
    states[`C${index}`] = {
      Type: 'Choice',
      Choices: [{ ...compileChoiceRule(condition), Next: 'T' }],
      Default: 'F',
    };
  });
  states.Start = {
    Type: 'Choice',
    Choices: conditions.map((_, index) => ({ Variable: '$.case', NumericEquals: index, Next: `C${index}` })),
    Default: 'F',
  };
  return { StartAt: 'Start', States: states } as MachineDefinition;
}

/**
 * Runs one compiled Choice rule in the local ASL interpreter and reports the branch it
 * took. Definition checks cost about 0.4 s each, so they run once, batched, below.
 */
async function choiceTaken(condition: Condition, view: unknown): Promise<boolean> {
  const machine = new StateMachine(choiceMachine([condition]), { validationOptions: { noValidate: true } });
  const input = { case: 0, order: view } as Parameters<StateMachine['run']>[0];
  return (await machine.run(input).result) === 'taken';
}

describe('compiled conditions', () => {
  it('decide exactly like evaluateCondition for any condition and any view', async () => {
    await fc.assert(
      fc.asyncProperty(
        conditionArbitrary,
        fc.array(conditionViewArbitrary, { minLength: 1, maxLength: 4 }),
        async (condition, views) => {
          for (const view of views) {
            expect(await choiceTaken(condition, view), JSON.stringify({ condition, view })).toBe(
              evaluateCondition(condition, view),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are Choice rules that asl-validator accepts', () => {
    const seed = Date.now();
    const definition = choiceMachine(fc.sample(conditionArbitrary, { numRuns: 300, seed }));
    const result = aslValidator(definition);
    expect(result.errorsText(), `seed ${seed}`).toBe('');
    expect(result.isValid).toBe(true);
  });
});
