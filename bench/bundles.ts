/**
 * Bundle size of every function and the import time of the api bundle, built with the very
 * esbuild options CDK uses (infra/bundling.ts). A benchmark, not a test.
 *
 *   npx tsx bench/bundles.ts
 *
 * Goals (issue 20): every function's bundle at most 600 KB; the api's module init at most
 * twice that of a bare handler importing the same AWS SDK clients.
 *
 * Import time is measured in a fresh Node process per run (median of 5), around the dynamic
 * import only. functions/api/index.ts reads secrets from Secrets Manager at top level, which
 * cannot run here; the "api module graph" bundle re-exports by name what index.ts imports
 * (handler, wiring, adapters, the SDK clients), so it loads the same code without calling AWS.
 * The SDK clients are the packages the api bundle holds, read from esbuild's metafile.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../infra/bundling.js';
import { buildExtraBundles } from '../infra/extra-bundles.js';

const RUNS = 5;
const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'orderflow-bundles-'));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const GOAL_BYTES = 600 * 1000;
const GOAL_INIT_RATIO = 2;

async function bundle(name: string, entry: string): Promise<{ file: string; metafile: Metafile }> {
  const file = join(outDir, name, 'index.mjs');
  const { metafile } = await build({
    ...esbuildOptions(entry, file),
    // The generated entries live in a temporary folder: their packages resolve from here.
    nodePaths: [join(root, 'node_modules')],
    metafile: true,
    logLevel: 'error',
  });
  return { file, metafile };
}

/** The npm packages a bundle holds, by the bytes each contributes. */
function packagesOf(metafile: Metafile): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(own code)';
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return sizes;
}

/** The entry point each AWS SDK package the api uses offers, as the api imports it. */
const SDK_ENTRY_POINTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/s3-request-presigner': 'getSignedUrl',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-lambda': 'LambdaClient',
};

const goal = (ok: boolean) => (ok ? 'within goal' : 'OVER GOAL');

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
let apiPackages = new Map<string, number>();
for (const name of functions) {
  const { file, metafile } = await bundle(name, join(root, 'functions', name, 'index.ts'));
  const bytes = statSync(file).size;
  if (name === 'api') apiPackages = packagesOf(metafile);
  console.log(
    `${name.padEnd(20)}${kib(bytes).padEnd(12)}${kib(statSync(`${file}.map`).size).padEnd(14)}${goal(bytes <= GOAL_BYTES)} (${(bytes / 1000).toFixed(0)} KB)`,
  );
}
console.log('\nloaded beside the api bundle, only by the routes that need them');
for (const file of await buildExtraBundles(join(outDir, 'api'))) {
  if (file.endsWith('.mjs')) console.log(`${basename(file).padEnd(32)}${kib(statSync(file).size)}`);
}
console.log('\nlargest packages in the api bundle');
for (const [name, bytes] of [...apiPackages].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
  console.log(`${name.padEnd(32)}${kib(bytes)}`);
}

const bareEntry = join(outDir, 'bare-handler.ts');
writeFileSync(bareEntry, 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
const sdkPackages = [...apiPackages.keys()].filter((name) =>
  /^@aws-sdk\/(client-|lib-|s3-request-presigner)/.test(name),
);
const unknown = sdkPackages.filter((name) => !(name in SDK_ENTRY_POINTS));
if (unknown.length > 0) throw new Error(`Name the entry point of ${unknown.join(', ')} in SDK_ENTRY_POINTS.`);
const sdkEntry = join(outDir, 'bare-with-sdk.ts');
writeFileSync(
  sdkEntry,
  [
    ...sdkPackages.map((name) => `export { ${SDK_ENTRY_POINTS[name]} } from ${JSON.stringify(name)};`),
    'export const handler = async () => ({ statusCode: 200, body: "ok" });',
  ].join('\n'),
);
// What functions/api/index.ts imports, by name, without its top-level secret reads.
const apiEntry = join(root, 'functions/api/index.ts');
const apiImports = [...readFileSync(apiEntry, 'utf8').matchAll(/import \{([^}]+)\} from '([^']+)'/g)].map(
  ([, names, specifier]) => ({
    names: (names as string).split(',').map((name) => name.trim()),
    from: specifier?.startsWith('.')
      ? join(root, 'functions/api', specifier.replace(/\.js$/, '.ts'))
      : (specifier as string),
  }),
);
const graphEntry = join(outDir, 'api-module-graph.ts');
writeFileSync(
  graphEntry,
  apiImports
    .map(({ names, from }) => `export { ${names.join(', ')} } from ${JSON.stringify(from)};`)
    .join('\n'),
);
const candidates = {
  'bare handler': (await bundle('bare-handler', bareEntry)).file,
  [`bare + ${sdkPackages.length} SDK pkgs`]: (await bundle('bare-with-sdk', sdkEntry)).file,
  'api module graph': (await bundle('api-module-graph', graphEntry)).file,
};

console.log(`\nimport time, fresh process, median of ${RUNS}`);
const medians: Record<string, number> = {};
for (const [label, file] of Object.entries(candidates)) {
  const times = Array.from({ length: RUNS }, () => importMilliseconds(file));
  medians[label] = median(times);
  console.log(
    `${label.padEnd(20)}${kib(statSync(file).size).padEnd(12)}${median(times).toFixed(1)} ms  (runs: ${times.map((t) => t.toFixed(1)).join(', ')})`,
  );
}
const ratio =
  (medians['api module graph'] as number) / (medians[`bare + ${sdkPackages.length} SDK pkgs`] as number);
console.log(
  `\napi init / bare handler with the same SDK clients: ${ratio.toFixed(2)}x, ${goal(ratio <= GOAL_INIT_RATIO)} (at most ${GOAL_INIT_RATIO}x)`,
);
