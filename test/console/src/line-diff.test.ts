import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../console/src/line-diff.js';

const lines = fc
  .array(fc.constantFrom('a', 'b', 'c', '{', '}'), { maxLength: 12 })
  .map((list) => list.join('\n'));

describe('the line diff against the active version', () => {
  it('rebuilds both texts: the old from kept and removed lines, the new from kept and added ones', () => {
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = lineDiff(before, after);
        const old = diff.filter((line) => line.kind !== 'added').map((line) => line.text);
        const now = diff.filter((line) => line.kind !== 'removed').map((line) => line.text);
        expect(old.join('\n')).toBe(before);
        expect(now.join('\n')).toBe(after);
      }),
    );
  });

  it('marks only the changed line of a one-line change', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc').filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
    ]);
  });
});
