import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstIdAt, idTime, newId } from '../../shared/ids.js';

const times = fc.integer({ min: 0, max: 2 ** 48 - 2 });

describe('time-sortable ids', () => {
  it('tell the time they were made at', () => {
    fc.assert(
      fc.property(times, (at) => {
        expect(idTime(newId('evt', at))).toBe(at);
      }),
    );
  });

  it('sort at or after the first id of their time and before the first id of the next millisecond', () => {
    fc.assert(
      fc.property(times, (at) => {
        const id = newId('evt', at);
        expect(id >= firstIdAt('evt', at)).toBe(true);
        expect(id < firstIdAt('evt', at + 1)).toBe(true);
      }),
    );
  });
});
