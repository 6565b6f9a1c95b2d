import { describe, expect, it } from 'vitest';
import { applyPatch, applyProgress, newOrder } from '../../../shared/orders/order.js';
import { unmetRequirements } from '../../../shared/orders/requirements.js';
import { compileChoiceRule, rechecksOnChange } from '../../../shared/workflow/compile.js';
import { stageSchema } from '../../../shared/workflow/schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const doc = (when: unknown, requires?: string[]) => ({
  format: 'orderflow.workflow/v1',
  name: 'Readiness',
  initialStage: 'work',
  stages: [
    {
      id: 'work',
      transitions: [
        { to: 'done', auto: true, when },
        { to: 'done', ...(requires ? { requires } : {}) },
      ],
    },
    { id: 'done', final: true },
  ],
});
const errorsOf = (when: unknown, requires?: string[]) =>
  validateWorkflow(doc(when, requires)).errors.map((error) => [error.path, error.message]);

describe('the line-progress condition fields and requirement', () => {
  it('accepts the counts as numbers, allItemsReady with eq or ne and a boolean, and itemsReady', () => {
    expect(errorsOf({ field: 'allItemsReady', op: 'eq', value: true }, ['itemsReady'])).toEqual([]);
    expect(errorsOf({ field: 'allItemsReady', op: 'ne', value: false })).toEqual([]);
    expect(errorsOf({ field: 'pendingItemCount', op: 'eq', value: 0 })).toEqual([]);
    expect(errorsOf({ field: 'readyItemCount', op: 'gte', value: 2 })).toEqual([]);
  });

  it('rejects what would never hold or cannot compile', () => {
    const path = '/stages/0/transitions/0/when';
    expect(errorsOf({ field: 'allItemsReady', op: 'eq', value: 'true' })).toEqual([
      [`${path}/value`, 'allItemsReady is a boolean; compare it with a boolean'],
    ]);
    expect(errorsOf({ field: 'allItemsReady', op: 'lt', value: true })).toEqual([
      [`${path}/value`, '`lt` compares numbers or strings, not booleans'],
    ]);
    expect(errorsOf({ field: 'allItemsReady', op: 'gt', value: 1 })).toEqual([
      [`${path}/op`, 'allItemsReady is a boolean; compare it with `eq` or `ne`'],
    ]);
    expect(errorsOf({ field: 'allItemsReady', op: 'matches', value: '*' })).toEqual([
      [`${path}/op`, 'allItemsReady is a boolean; `matches` needs a string field'],
    ]);
    expect(errorsOf({ field: 'pendingItemCount', op: 'eq', value: true })).toEqual([
      [`${path}/value`, 'pendingItemCount is a number; compare it with a number'],
    ]);
    expect(errorsOf({ field: 'allItemsReady', op: 'eq', value: true }, ['itemsready'])[0]?.[0]).toBe(
      '/stages/0/transitions/1/requires/0',
    );
  });

  it('compiles a boolean comparison to BooleanEquals behind presence and type checks', () => {
    expect(compileChoiceRule({ field: 'allItemsReady', op: 'eq', value: true })).toEqual({
      And: [
        { Variable: '$.order.allItemsReady', IsPresent: true },
        { Variable: '$.order.allItemsReady', IsBoolean: true },
        { Variable: '$.order.allItemsReady', BooleanEquals: true },
      ],
    });
  });

  it('re-checks only stages that can wait with conditional auto transitions', () => {
    const stage = (transitions: unknown[]) => stageSchema.parse({ id: 'work', transitions });
    const when = { field: 'allItemsReady', op: 'eq', value: true };
    expect(rechecksOnChange(stage([{ to: 'done', auto: true, when }, { to: 'x' }]))).toBe(true);
    expect(rechecksOnChange(stage([{ to: 'done' }, { to: 'x' }]))).toBe(false);
    expect(rechecksOnChange(stage([{ to: 'done', auto: true }]))).toBe(false);
    expect(
      rechecksOnChange(
        stage([
          { to: 'done', auto: true, when },
          { to: 'x', auto: true },
        ]),
      ),
    ).toBe(false);
  });
});

describe('line progress on an order', () => {
  const now = new Date('2026-11-26T10:00:00.000Z');
  const order = newOrder({
    request: {
      currency: 'GBP',
      items: [
        { sku: 'A', quantity: 5 },
        { sku: 'B', quantity: 2 },
      ],
      services: [{ code: 'design' }],
      attachments: [],
      metadata: {},
    },
    stage: 'work',
    workflowVersion: 0,
    now,
  });

  it('starts every line pending, defaults units to all when ready and none when pending', () => {
    expect(order.items[0]).toMatchObject({ status: 'pending', readyQuantity: 0 });
    expect(order.services[0]).toMatchObject({ status: 'pending' });
    const ready = applyProgress(order, { kind: 'item', sku: 'A' }, { status: 'ready' }, now);
    expect(ready).toMatchObject({ changed: true, quantity: 5, order: { version: 2 } });
    expect(ready.order.items[0]).toMatchObject({ status: 'ready', readyQuantity: 5 });
    const partial = applyProgress(
      ready.order,
      { kind: 'item', sku: 'A' },
      { status: 'pending', quantity: 3 },
      now,
    );
    expect(partial.order.items[0]).toMatchObject({ status: 'pending', readyQuantity: 3 });
    expect(applyProgress(ready.order, { kind: 'item', sku: 'A' }, { status: 'ready' }, now).changed).toBe(
      false,
    );
    expect(() =>
      applyProgress(order, { kind: 'item', sku: 'A' }, { status: 'ready', quantity: 6 }, now),
    ).toThrow(/does not fit/);
    expect(() => applyProgress(order, { kind: 'item', sku: 'Z' }, { status: 'ready' }, now)).toThrow(
      /not found/,
    );
    expect(() => applyProgress(order, { kind: 'service', code: 'z' }, { status: 'ready' }, now)).toThrow(
      /not found/,
    );
  });

  it('meets itemsReady only when every item and service is ready or done', () => {
    let current = order;
    expect(unmetRequirements(current, ['itemsReady'], undefined)).toEqual([
      { path: '/requires/itemsReady', message: 'Not ready or done yet: A, B, design.' },
    ]);
    current = applyProgress(current, { kind: 'item', sku: 'A' }, { status: 'done' }, now).order;
    current = applyProgress(current, { kind: 'item', sku: 'B' }, { status: 'ready' }, now).order;
    expect(unmetRequirements(current, ['itemsReady'], undefined)).toHaveLength(1);
    current = applyProgress(current, { kind: 'service', code: 'design' }, { status: 'ready' }, now).order;
    expect(unmetRequirements(current, ['itemsReady'], undefined)).toEqual([]);
  });

  it('keeps progress through a PATCH, which cannot set it, and clamps units to a smaller quantity', () => {
    const ready = applyProgress(order, { kind: 'item', sku: 'A' }, { status: 'ready' }, now).order;
    const { order: patched, changed } = applyPatch(
      ready,
      {
        items: [
          { sku: 'A', quantity: 4, status: 'pending', readyQuantity: 0 },
          { sku: 'C', quantity: 1 },
        ],
        services: ready.services,
      },
      now,
    );
    expect(changed).toEqual(['items']);
    expect(patched.items).toEqual([
      { sku: 'A', quantity: 4, backordered: 0, status: 'ready', readyQuantity: 4 },
      { sku: 'C', quantity: 1, backordered: 0, status: 'pending', readyQuantity: 0 },
    ]);
  });
});
