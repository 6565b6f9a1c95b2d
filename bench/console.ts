/**
 * The console's JavaScript: what the first load of the order board downloads (main.js and the
 * chunks it imports statically) and what opening the studio adds (the editor, imported
 * dynamically). Raw and gzip bytes. A benchmark, not a test.
 *
 *   npx tsx bench/console.ts
 */
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../console/build.js';

const assets = await buildConsole();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const js = (name: string) => assets.get(name)?.body ?? '';

/** A chunk and everything it imports statically. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const match of js(name).matchAll(/(?:import|from)\s*"\.\/([\w.-]+\.js)"/g)) {
    const before = js(name).slice(Math.max(0, (match.index ?? 0) - 7), match.index);
    if (!before.endsWith('import(')) closure(match[1] as string, seen);
  }
  return seen;
}

function report(label: string, names: Iterable<string>): void {
  const list = [...names];
  const raw = list.reduce((sum, name) => sum + Buffer.byteLength(js(name)), 0);
  const gzip = list.reduce((sum, name) => sum + gzipSync(js(name)).length, 0);
  console.log(
    `${label.padEnd(34)} ${kb(raw).padStart(9)} raw, ${kb(gzip).padStart(8)} gzip  (${list.join(', ')})`,
  );
}

const board = closure('main.js');
const all = [...assets.keys()].filter((name) => name.endsWith('.js'));
report('board, first load', board);
report(
  'studio, added when opened',
  all.filter((name) => !board.has(name)),
);
report('everything', all);
