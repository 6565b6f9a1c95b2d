import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorCodec } from '../../../shared/http/cursor.js';
import { ProblemError } from '../../../shared/problem.js';

const codec = new CursorCodec('secret');

describe('pagination cursors', () => {
  it('give back exactly the position they were made from', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (position, scope) => {
        expect(codec.decode(codec.encode(position, scope), scope)).toEqual(
          JSON.parse(JSON.stringify(position)),
        );
      }),
    );
  });

  it('refuse any other string, and a cursor from another scope or key, with a 400', () => {
    const cursor = codec.encode({ pk: 'T#a' }, 'scope');
    const refused = (token: string, scope = 'scope', with_ = codec) => {
      try {
        with_.decode(token, scope);
        return false;
      } catch (error) {
        return error instanceof ProblemError && error.status === 400;
      }
    };
    expect(refused(cursor, 'other-scope')).toBe(true);
    expect(refused(cursor, 'scope', new CursorCodec('another-secret'))).toBe(true);
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        fc.pre(garbage !== cursor);
        expect(refused(garbage)).toBe(true);
      }),
    );
  });
});
