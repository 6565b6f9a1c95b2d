// Which Node.js versions Orderflow runs on, read from package.json's `engines.node`, so the
// requirement is written once. Plain JavaScript: it must run before anything is compiled.
import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;

const parts = (version) => version.replace(/^v/, '').split('.').map(Number);
const compare = (a, b) => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};
const comparators = { '>=': (c) => c >= 0, '>': (c) => c > 0, '<': (c) => c < 0, '<=': (c) => c <= 0 };

/** True when `version` satisfies a range such as `>=20.20.0 <21 || >=22.0.0`. */
export function satisfies(version, range = engines) {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const [, op, bound] = /^(>=|<=|>|<)(\d+(?:\.\d+){0,2})$/.exec(comparator) ?? [];
        if (!op || !bound) throw new Error(`engines.node: cannot read "${comparator}".`);
        return comparators[op](compare(version, bound));
      }),
  );
}

/** The one line to print when this Node.js cannot run Orderflow, or undefined when it can. */
export function unsupportedNodeMessage(version, range = engines) {
  if (satisfies(version, range)) return undefined;
  return `Orderflow needs Node.js ${range.replaceAll('||', 'or')} (this is ${version}); install a supported Node.js and run the command again.`;
}
