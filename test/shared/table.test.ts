import { describe, expect, it } from 'vitest';
import { aslOrderKey, keys, orderAttributes, passesStreamFilter, recordTypes } from '../../shared/table.js';

/** Evaluates the `States.Format` template the way Step Functions does, for one execution state. */
function formatted(template: string, state: Record<string, string>): string {
  const match = /^States\.Format\('([^']*)', (.+)\)$/.exec(template);
  if (!match) throw new Error(`not a States.Format call: ${template}`);
  const args = (match[2] as string).split(', ').map((path) => state[path.replace('$.', '')] ?? '');
  let index = 0;
  return (match[1] as string).replace(/\{\}/g, () => args[index++] ?? '');
}

const image = (entity: string, extra: Record<string, unknown> = {}) => ({ entity: { S: entity }, ...extra });

describe('the table contract', () => {
  it('gives the state machines the same order key the store writes', () => {
    const state = { tenantId: 'ten_1', orderId: 'ord_1' };
    expect({
      pk: formatted(aslOrderKey.pk['S.$'], state),
      sk: aslOrderKey.sk.S,
    }).toEqual(keys.order('ten_1', 'ord_1'));
  });

  it('passes inserted history events to the events function, and no other change of them', () => {
    expect(
      passesStreamFilter({ eventName: 'INSERT', dynamodb: { NewImage: image(recordTypes.event) } }),
    ).toBe(true);
    expect(
      passesStreamFilter({ eventName: 'MODIFY', dynamodb: { NewImage: image(recordTypes.event) } }),
    ).toBe(false);
    expect(passesStreamFilter({ eventName: 'REMOVE', dynamodb: {} })).toBe(false);
  });

  it('passes orders only while they carry a stored signal', () => {
    const signal = { [orderAttributes.pendingSignal]: { M: { token: { S: 'tok' } } } };
    for (const eventName of ['INSERT', 'MODIFY']) {
      expect(
        passesStreamFilter({ eventName, dynamodb: { NewImage: image(recordTypes.order, signal) } }),
      ).toBe(true);
      expect(passesStreamFilter({ eventName, dynamodb: { NewImage: image(recordTypes.order) } })).toBe(false);
    }
    expect(
      passesStreamFilter({ eventName: 'INSERT', dynamodb: { NewImage: image(recordTypes.webhook, signal) } }),
    ).toBe(false);
  });
});
