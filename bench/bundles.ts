/**
 * Bundle size of every function and the import time of the api bundle, built with the very
 * esbuild options CDK uses (infra/bundling.ts). A benchmark, not a test.
 *
 *   npx tsx bench/bundles.ts
 *
 * Import time is measured in a fresh Node process per run (median of 5), around the dynamic
 * import only. functions/api/index.ts reads two secrets from Secrets Manager at top level,
 * which cannot run here; the "api module graph" bundle re-exports every module index.ts imports
 * (handler, wiring, the SDK clients) and so loads the same code without calling AWS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions } from '../infra/bundling.js';

const RUNS = 5;
const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'orderflow-bundles-'));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function bundle(name: string, entry: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  await build({ ...esbuildOptions(entry, outfile), logLevel: 'error' });
  return outfile;
}

/** Milliseconds to import `file` in a fresh Node process. */
function importMilliseconds(file: string): number {
  const script = `const start = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - start);`;
  const output = execFileSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        TABLE_NAME: 'orderflow-bench',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  return Number(output.toString().trim());
}

console.log(`Node ${process.version}; bundles in ${outDir}\n`);
console.log('function            bundle      source map');
const functions = readdirSync(join(root, 'functions')).filter((name) => {
  try {
    return statSync(join(root, 'functions', name, 'index.ts')).isFile();
  } catch {
    return false;
  }
});
for (const name of functions) {
  const file = await bundle(name, join(root, 'functions', name, 'index.ts'));
  console.log(`${name.padEnd(20)}${kib(statSync(file).size).padEnd(12)}${kib(statSync(`${file}.map`).size)}`);
}

const bareEntry = join(outDir, 'bare-handler.ts');
writeFileSync(bareEntry, 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
// Everything functions/api/index.ts imports, re-exported so nothing is tree-shaken away, without
// its top-level secret reads.
const apiEntry = join(root, 'functions/api/index.ts');
const apiImports = [...readFileSync(apiEntry, 'utf8').matchAll(/from '([^']+)'/g)].map(([, specifier]) =>
  specifier?.startsWith('.')
    ? join(root, 'functions/api', specifier.replace(/\.js$/, '.ts'))
    : fileURLToPath(import.meta.resolve(specifier as string)),
);
const graphEntry = join(outDir, 'api-module-graph.ts');
writeFileSync(
  graphEntry,
  apiImports.map((specifier, index) => `export * as m${index} from ${JSON.stringify(specifier)};`).join('\n'),
);
const candidates = {
  'bare handler': await bundle('bare-handler', bareEntry),
  'api handler.ts': await bundle('api-handler', join(root, 'functions/api/handler.ts')),
  'api module graph': await bundle('api-module-graph', graphEntry),
};

console.log(`\nimport time, fresh process, median of ${RUNS}`);
for (const [label, file] of Object.entries(candidates)) {
  const times = Array.from({ length: RUNS }, () => importMilliseconds(file));
  console.log(
    `${label.padEnd(20)}${kib(statSync(file).size).padEnd(12)}${median(times).toFixed(1)} ms  (runs: ${times.map((t) => t.toFixed(1)).join(', ')})`,
  );
}
