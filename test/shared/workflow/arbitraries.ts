/** fast-check generators shared by the workflow tests. */
import * as fc from 'fast-check';
import { CONDITION_FIELDS } from '../../../shared/workflow/condition-language.js';
import type { Condition, WorkflowDocument } from '../../../shared/workflow/schema.js';

// Few distinct characters, so generated values and patterns often collide and compare equal.
const shortString = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '*', '\\', 'é', ' '), maxLength: 4 });
const smallNumber = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -2.25, 1e21, 50_000));
const pattern = fc
  .array(fc.constantFrom('a', 'b', 'é', '*', '\\*', '\\\\', ' '), { maxLength: 5 })
  .map((parts) => parts.join(''));

export const conditionFieldArbitrary = fc.constantFrom(
  ...Object.keys(CONDITION_FIELDS),
  'metadata.po',
  'metadata.rush',
  'metadata.missing',
);

export const comparisonArbitrary: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ field: conditionFieldArbitrary, op: fc.constant('exists' as const) }),
  fc.record({ field: conditionFieldArbitrary, op: fc.constant('matches' as const), value: pattern }),
  fc.record({
    field: conditionFieldArbitrary,
    op: fc.constantFrom(
      'eq' as const,
      'ne' as const,
      'lt' as const,
      'lte' as const,
      'gt' as const,
      'gte' as const,
    ),
    value: fc.oneof(shortString, smallNumber),
  }),
  fc.record({
    field: conditionFieldArbitrary,
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.boolean(),
  }),
);

/** Comparisons a valid document may hold: values of the field's type, `matches` on strings only. */
const typedComparisonArbitrary: fc.Arbitrary<Condition> = conditionFieldArbitrary.chain(
  (field): fc.Arbitrary<Condition> => {
    const type = (CONDITION_FIELDS as Record<string, string>)[field] ?? 'any';
    if (type === 'boolean') {
      return fc.oneof(
        fc.constant({ field, op: 'exists' as const }),
        fc.record({
          field: fc.constant(field),
          op: fc.constantFrom('eq' as const, 'ne' as const),
          value: fc.boolean(),
        }),
      );
    }
    const value =
      type === 'number' ? smallNumber : type === 'string' ? shortString : fc.oneof(shortString, smallNumber);
    return fc.oneof(
      fc.constant({ field, op: 'exists' as const }),
      ...(type === 'number' ? [] : [pattern.map((value) => ({ field, op: 'matches' as const, value }))]),
      fc.record({
        field: fc.constant(field),
        op: fc.constantFrom(
          'eq' as const,
          'ne' as const,
          'lt' as const,
          'lte' as const,
          'gt' as const,
          'gte' as const,
        ),
        value,
      }),
    );
  },
);

function nested(comparison: fc.Arbitrary<Condition>): fc.Arbitrary<Condition> {
  return fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      comparison,
      fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('condition') }),
    ),
  })).condition;
}

/** Any condition the evaluator and compiler accept, including ones validation rejects as always false. */
export const conditionArbitrary = nested(comparisonArbitrary);
/** Conditions a valid document may hold. */
export const validConditionArbitrary = nested(typedComparisonArbitrary);

/** Any JSON value a field might hold, of every type, so wrong-type comparisons are exercised. */
const fieldValue = fc.oneof(
  shortString,
  smallNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([1]),
);

/** Condition views as they may arrive: fields missing, of the wrong type, or whole objects replaced. */
export const conditionViewArbitrary = fc.record(
  {
    totals: fc.oneof(
      fc.record({ grand: fieldValue, currency: fieldValue }, { requiredKeys: [] }),
      fieldValue,
    ),
    customer: fc.oneof(fc.record({ email: fieldValue }, { requiredKeys: [] }), fieldValue),
    shipping: fc.oneof(fc.record({ method: fieldValue }, { requiredKeys: [] }), fieldValue),
    metadata: fc.oneof(fc.dictionary(fc.constantFrom('po', 'rush'), fieldValue), fieldValue),
    itemCount: fieldValue,
    backorderedCount: fieldValue,
    pendingItemCount: fieldValue,
    readyItemCount: fieldValue,
    allItemsReady: fieldValue,
    onHold: fieldValue,
    allItemsShipped: fieldValue,
  },
  { requiredKeys: [] },
);

const duration = fc.constantFrom('PT1S', 'PT15M', 'P3D', 'P1W', 'P365D', 'PT2H30M');
const retry = fc.option(
  fc.record(
    {
      maxAttempts: fc.integer({ min: 1, max: 10 }),
      interval: duration,
      backoffRate: fc.constantFrom(1, 1.5, 2),
    },
    { requiredKeys: ['maxAttempts'] },
  ),
  { nil: undefined },
);

function actionArbitrary(targets: string[]) {
  const onError = fc.option(
    fc.oneof(
      fc.constantFrom('fail' as const, 'continue' as const),
      ...(targets.length > 0 ? [fc.constantFrom(...targets).map((to) => ({ transitionTo: to }))] : []),
    ),
    { nil: undefined },
  );
  const common = { retry, onError };
  return fc.oneof(
    fc.record({ type: fc.constant('inventory.reserve' as const), ...common }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('inventory.release' as const), ...common }, { requiredKeys: ['type'] }),
    fc.record(
      {
        type: fc.constant('purchase_order.create' as const),
        supplierFallback: fc.constant('paperco'),
        ...common,
      },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constant('labor.schedule' as const),
        team: fc.constantFrom('press', 'finishing'),
        hoursPerUnit: fc.constantFrom(0.01, 2),
        dueIn: duration,
        ...common,
      },
      { requiredKeys: ['type', 'team'] },
    ),
    fc.record(
      { type: fc.constant('http' as const), url: fc.constant('https://example.com/hook'), ...common },
      { requiredKeys: ['type', 'url'] },
    ),
    fc.record(
      { type: fc.constant('notify' as const), event: fc.constant('order.ready'), ...common },
      { requiredKeys: ['type', 'event'] },
    ),
    fc.record({ type: fc.constant('wait' as const), duration }),
  );
}

/**
 * Valid workflows by construction: stages s0..sN-1 with the last ones final, and every
 * non-final stage has a transition to a later stage, so each can reach a final stage.
 */
export const validWorkflowArbitrary: fc.Arbitrary<WorkflowDocument> = fc
  .record({ stageCount: fc.integer({ min: 2, max: 8 }), finalCount: fc.integer({ min: 1, max: 2 }) })
  .chain(({ stageCount, finalCount }) => {
    const ids = Array.from({ length: stageCount }, (_, index) => `s${index}`);
    const firstFinal = Math.max(1, stageCount - finalCount);
    const stages = ids.map((id, index) => {
      const final = index >= firstFinal;
      const others = ids.filter((other) => other !== id);
      const later = ids.slice(index + 1);
      if (final) {
        return fc.record({
          id: fc.constant(id),
          final: fc.constant(true),
          onEnter: fc.array(actionArbitrary([]), { maxLength: 3 }),
        });
      }
      return fc
        .record({
          forward: fc.constantFrom(...later),
          extra: fc.uniqueArray(fc.constantFrom(...others), { maxLength: 3 }),
          autoFlags: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
          whens: fc.array(fc.option(validConditionArbitrary, { nil: undefined }), {
            minLength: 4,
            maxLength: 4,
          }),
          roles: fc.option(fc.constant(['reviewer']), { nil: undefined }),
          withTimeout: fc.boolean(),
          timeoutAfter: duration,
          label: fc.option(fc.constantFrom('Stage', 'Ready for "pickup" <now>'), { nil: undefined }),
        })
        .chain(({ forward, extra, autoFlags, whens, roles, withTimeout, timeoutAfter, label }) => {
          const targets = [forward, ...extra.filter((to) => to !== forward)];
          const transitions = targets.map((to, position) => {
            const when = whens[position];
            // Auto transitions back to an earlier stage could close a loop of stages that always
            // move on by themselves, which validation refuses: auto transitions only move forward.
            const backwards = ids.indexOf(to) < index;
            const auto = (autoFlags[position] ?? false) && !backwards;
            return {
              to,
              ...(auto ? { auto: true } : roles ? { roles } : {}),
              ...(when ? { when } : {}),
            };
          });
          return fc.record({
            id: fc.constant(id),
            ...(label ? { label: fc.constant(label) } : {}),
            transitions: fc.constant(transitions),
            onEnter: fc.array(actionArbitrary(targets), { maxLength: 5 }),
            ...(withTimeout
              ? { timeout: fc.constantFrom(...targets).map((to) => ({ after: timeoutAfter, to })) }
              : {}),
          });
        });
    });
    return fc.tuple(...stages).map(
      (built): WorkflowDocument => ({
        format: 'orderflow.workflow/v1',
        name: 'Generated',
        initialStage: 's0',
        stages: built as WorkflowDocument['stages'],
      }),
    );
  });
