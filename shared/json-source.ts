/**
 * JSON text with the line and column of every value, so a problem located by JSON pointer
 * (`/stages/2/transitions/0/to`) can be shown where a person wrote it, and a syntax error says
 * where it is in words instead of as a character offset. No dependencies: the console uses it too.
 */

export interface SourcePosition {
  /** 1-based, as editors count. */
  line: number;
  column: number;
}

export type LocatedJson =
  | { ok: true; value: unknown; positionOf(pointer: string): SourcePosition | undefined }
  | { ok: false; error: SourcePosition & { message: string } };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deeper than any document a person writes; deeper input would exhaust the stack. */
const MAX_DEPTH = 256;

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Parses `text` as JSON (exactly what JSON.parse accepts) and records where each value starts. */
export function locateJson(text: string): LocatedJson {
  const starts = new Map<string, number>();
  let at = 0;

  const describe = (offset: number) =>
    offset >= text.length ? 'the end of the file' : `"${text.slice(offset, offset + 1)}"`;
  const fail = (expected: string, offset = at): never => {
    throw new JsonSyntaxError(`expected ${expected} but found ${describe(offset)}`, offset);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const expect = (char: string, what: string) => {
    skipSpace();
    if (text[at] !== char) fail(what);
    at++;
  };

  const string = (): string => {
    const start = at;
    at++; // the opening quote
    while (at < text.length && text[at] !== '"') {
      const char = text.charCodeAt(at);
      if (char < 0x20) throw new JsonSyntaxError('a text value must not break across lines', at);
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) throw new JsonSyntaxError('this text value is never closed with "', start);
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      throw new JsonSyntaxError('this text value has an invalid escape (\\)', start);
    }
  };

  const value = (pointer: string, depth = 0): unknown => {
    skipSpace();
    if (depth > MAX_DEPTH)
      throw new JsonSyntaxError(`the document nests deeper than ${MAX_DEPTH} levels`, at);
    starts.set(pointer, at);
    const char = text[at];
    if (char === '{') {
      at++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail('a field name in double quotes');
        const key = string();
        expect(':', '":" after the field name');
        // Defined, not assigned: a field named __proto__ is data, as JSON.parse keeps it.
        Object.defineProperty(object, key, {
          value: value(`${pointer}/${escapePointer(key)}`, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return object;
        }
        fail('"," or "}"');
      }
    }
    if (char === '[') {
      at++;
      const array: unknown[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(`${pointer}/${array.length}`, depth + 1));
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return array;
        }
        fail('"," or "]"');
      }
    }
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (!literal) return fail('a value (text in double quotes, a number, true, false, null, { or [)');
    at += literal[0].length;
    return JSON.parse(literal[0]);
  };

  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === '\n') lineStarts.push(index + 1);
  const position = (offset: number): SourcePosition => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
  };

  try {
    const parsed = value('');
    skipSpace();
    if (at < text.length) fail('nothing more after the document');
    return {
      ok: true,
      value: parsed,
      positionOf(pointer) {
        // A problem about a missing field points at the object that lacks it.
        for (let path = pointer; ; path = path.slice(0, path.lastIndexOf('/'))) {
          const start = starts.get(path);
          if (start !== undefined) return position(start);
          if (path === '') return undefined;
        }
      },
    };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, error: { message: error.message, ...position(error.offset) } };
  }
}
