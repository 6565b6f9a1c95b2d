import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetOfPointer, pathAtCursor } from '../../../console/src/json-positions.js';

const pointerOf = (path: (string | number)[]) =>
  path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Every path into a value, with the value there. */
function paths(value: unknown, prefix: (string | number)[] = []): [(string | number)[], unknown][] {
  const here: [(string | number)[], unknown][] = [[prefix, value]];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return here;
}

describe('finding a JSON pointer in the text', () => {
  it('points at the start of the value the pointer names, however the JSON is laid out', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        for (const [path, expected] of paths(value)) {
          const offset = offsetOfPointer(text, pointerOf(path));
          expect(JSON.parse(prefixValue(text.slice(offset)))).toEqual(JSON.parse(JSON.stringify(expected)));
        }
      }),
    );
  });

  it('falls back to the nearest enclosing value for a pointer that is not there', () => {
    const text = '{\n  "stages": [\n    { "id": "a" }\n  ]\n}';
    expect(text.slice(offsetOfPointer(text, '/stages/0/transitions/3'))).toMatch(/^\{ "id"/);
  });
});

describe('the path at the cursor', () => {
  it('names the object whose key is being typed, and the key whose value is', () => {
    const text = '{ "stages": [ { "id": "a", "onEnter": [ { "ty';
    expect(pathAtCursor(text, text.length)).toEqual({ path: ['stages', 0, 'onEnter', 0], inKey: true });
    const value = '{ "stages": [ { "final": ';
    expect(pathAtCursor(value, value.length)).toEqual({ path: ['stages', 0, 'final'], inKey: false });
  });
});

/** The first complete JSON value at the start of `text`. */
function prefixValue(text: string): string {
  for (let end = 1; end <= text.length; end++) {
    try {
      JSON.parse(text.slice(0, end));
      if (!/^[\d.eE+-]$/.test(text[end] ?? '')) return text.slice(0, end);
    } catch {}
  }
  return text;
}
