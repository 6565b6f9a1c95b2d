/**
 * Where things are in a JSON text: the offset of the value at a JSON pointer (to show a
 * validation error at its line), and the path at a cursor (to complete from the JSON Schema).
 * A small tolerant scanner: it works on text that is being typed and is not valid yet.
 */

export interface PathAtCursor {
  path: (string | number)[];
  /** The cursor is where an object's key goes (or inside one being typed). */
  inKey: boolean;
}

type Frame = { kind: 'object'; key?: string; expectKey: boolean } | { kind: 'array'; index: number };

interface Visit {
  path: (string | number)[];
  start: number;
}

/** Scans the text up to `until`, reporting each value's start with its path. */
function scan(
  text: string,
  until: number,
  onValue?: (visit: Visit) => void,
): { stack: Frame[]; inKey: boolean } {
  const stack: Frame[] = [];
  let inKey = false;
  const currentPath = () => stack.map((frame) => (frame.kind === 'object' ? (frame.key ?? '') : frame.index));
  const valueStarts = () => {
    const top = stack.at(-1);
    if (!top || top.kind === 'array' || !top.expectKey) onValue?.({ path: currentPath(), start: i });
  };
  let i = 0;
  for (; i < until; i++) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '"') {
      const start = i;
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        if (end >= until) return { stack, inKey: true };
        top.key = JSON.parse(text.slice(start, end + 1)) as string;
        top.expectKey = false;
      } else valueStarts();
      i = end;
      continue;
    }
    if (char === '{' || char === '[') {
      valueStarts();
      stack.push(char === '{' ? { kind: 'object', expectKey: true } : { kind: 'array', index: 0 });
      continue;
    }
    if (char === '}' || char === ']') {
      stack.pop();
      continue;
    }
    if (char === ',') {
      if (top?.kind === 'object') top.expectKey = true;
      else if (top?.kind === 'array') top.index += 1;
      continue;
    }
    if (char === ':' || char === undefined || /\s/.test(char)) continue;
    // A number, true, false or null.
    valueStarts();
    while (i + 1 < until && /[^\s,\]}]/.test(text[i + 1] ?? '')) i++;
  }
  const top = stack.at(-1);
  inKey = top?.kind === 'object' && top.expectKey;
  return { stack, inKey };
}

/** The offset where the value at `pointer` (RFC 6901, `''` the whole text) starts; 0 if absent. */
export function offsetOfPointer(text: string, pointer: string): number {
  const wanted =
    pointer === ''
      ? ''
      : pointer
          .slice(1)
          .split('/')
          .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let best = 0;
  let bestDepth = -1;
  scan(text, text.length, ({ path, start }) => {
    const key = path.map(String);
    if (key.length > wanted.length || key.length <= bestDepth) return;
    if (key.every((part, index) => part === wanted[index])) {
      best = start;
      bestDepth = key.length;
    }
  });
  return best;
}

export function pathAtCursor(text: string, offset: number): PathAtCursor {
  const { stack, inKey } = scan(text, offset);
  const path = stack.map((frame) => (frame.kind === 'object' ? (frame.key ?? '') : frame.index));
  // Typing a key: the path is the object's, not the key's previous value.
  if (inKey) {
    const top = stack.at(-1);
    if (top?.kind === 'object') path[path.length - 1] = '';
    return { path: path.slice(0, -1), inKey: true };
  }
  return { path, inKey: false };
}
