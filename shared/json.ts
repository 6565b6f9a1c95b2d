/** JSON with object keys sorted: equal data gives equal text, whatever order it was built or stored in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * JSON pointers of every `__proto__` key in parsed JSON. JSON.parse keeps such a key as an own
 * property, but any later copy or merge into a plain object turns it into a prototype change
 * and the key vanishes, so the edge refuses it rather than drop it silently.
 */
export function prototypeKeyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((entry, index) => prototypeKeyPaths(entry, `${path}/${index}`));
  if (!value || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const here = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return [
      ...(key === '__proto__' ? [here] : []),
      ...prototypeKeyPaths((value as Record<string, unknown>)[key], here),
    ];
  });
}
