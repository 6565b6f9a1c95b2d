import { describe, expect, it } from 'vitest';
import { conditionInWords, durationInWords, guardsInWords } from '../../../shared/workflow/in-words.js';
import { type Condition, transitionSchema } from '../../../shared/workflow/schema.js';

describe('a workflow in words', () => {
  it('shows totals in the currency the condition tests, else the one it is read for', () => {
    const inYen = {
      all: [
        { field: 'totals.currency', op: 'eq', value: 'JPY' },
        { field: 'totals.grand', op: 'lt', value: 50000 },
      ],
    } satisfies Condition;
    expect(conditionInWords(inYen, 'GBP')).toBe('currency is "JPY" and total under ¥50,000');
    expect(conditionInWords({ any: [{ field: 'totals.grand', op: 'gt', value: 1999 }, inYen] }, 'EUR')).toBe(
      '(total over €19.99 or currency is "JPY" and total under ¥50,000)',
    );
  });

  it('reads conditions as a person would say them, totals in major units', () => {
    expect(
      conditionInWords({
        all: [
          { field: 'totals.grand', op: 'lt', value: 50000 },
          { field: 'backorderedCount', op: 'eq', value: 0 },
        ],
      }),
    ).toBe('total under 500.00 and backordered lines is 0');
    expect(conditionInWords({ field: 'allItemsReady', op: 'eq', value: true })).toBe('all lines ready');
    expect(conditionInWords({ field: 'totals.grand', op: 'gte', value: 50000 }, 'GBP')).toBe(
      'total at least £500.00',
    );
    expect(conditionInWords({ not: { field: 'metadata.rush', op: 'exists' } })).toBe(
      'not (metadata "rush" is set)',
    );
  });

  it('reads durations in days, hours and minutes', () => {
    expect(durationInWords('P14D')).toBe('14 days');
    expect(durationInWords('PT1H30M')).toBe('1 hour 30 minutes');
    expect(durationInWords('P2W')).toBe('2 weeks');
  });

  it("lists a transition's roles, requirements and condition", () => {
    const transition = transitionSchema.parse({
      to: 'production',
      roles: ['production_manager'],
      requires: ['attachments', 'shipment'],
      when: { field: 'shipping.method', op: 'eq', value: 'pickup' },
    });
    expect(guardsInWords(transition)).toEqual([
      'if shipping method is "pickup"',
      'by production_manager',
      'needs attachments, a shipment',
    ]);
  });
});
