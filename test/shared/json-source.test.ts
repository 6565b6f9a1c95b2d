import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJson } from '../../shared/json-source.js';

const charAt = (text: string, { line, column }: { line: number; column: number }) =>
  text.split('\n')[line - 1]?.[column - 1];

describe('locating JSON', () => {
  it('reads exactly what JSON.parse reads, however it is formatted', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const located = locateJson(text);
        expect(located.ok).toBe(true);
        if (located.ok) expect(located.value).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it('accepts and refuses the same texts as JSON.parse', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => json.slice(0, -1)),
        ),
        (text) => {
          let parses = true;
          try {
            JSON.parse(text);
          } catch {
            parses = false;
          }
          expect(locateJson(text).ok).toBe(parses);
        },
      ),
    );
  });

  it('places every value at the line and column where its text begins', () => {
    const text =
      '{\n  "stages": [\n    { "id": "quote",\n      "transitions": [ { "to": "nowhere" } ] }\n  ]\n}';
    const located = locateJson(text);
    if (!located.ok) throw new Error('expected valid JSON');
    expect(located.positionOf('/stages/0/transitions/0/to')).toEqual({ line: 4, column: 32 });
    expect(charAt(text, { line: 4, column: 32 })).toBe('"');
    expect(located.positionOf('/stages/0/id')).toEqual({ line: 3, column: 13 });
    // A missing field is reported where the object that lacks it begins.
    expect(located.positionOf('/stages/0/label')).toEqual({ line: 3, column: 5 });
    expect(located.positionOf('/stages/7')).toEqual({ line: 2, column: 13 });
  });

  it('says where a syntax error is, in words', () => {
    expect(locateJson('{\n  "a": [1, 2,, 3]\n}')).toEqual({
      ok: false,
      error: {
        line: 2,
        column: 14,
        message:
          'expected a value (text in double quotes, a number, true, false, null, { or [) but found ","',
      },
    });
    expect(locateJson('{ "format": ')).toMatchObject({
      ok: false,
      error: { line: 1, column: 13, message: expect.stringContaining('the end of the file') },
    });
    expect(locateJson('{ "a": "line\nbreak" }')).toMatchObject({ ok: false, error: { line: 1, column: 13 } });
  });

  it('keeps a field named __proto__ as data and refuses nesting that would exhaust the stack', () => {
    const located = locateJson('{ "__proto__": { "polluted": true } }');
    expect(located.ok && Object.keys(located.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(locateJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('nests deeper') },
    });
  });
});
