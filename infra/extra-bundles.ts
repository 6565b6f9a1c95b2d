/**
 * What the api function loads besides its own bundle, built into its bundle folder by
 * NodejsFunction's afterBundling hook (constructs/function.ts), with the same esbuild options:
 * the simulator's and the diagram layout's worker threads and the console's files. `node --import tsx infra/extra-bundles.ts <outputDir>`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildConsole } from '../console/build.js';
import { SIMULATION_WORKER_BUNDLE } from '../shared/adapters/node/simulation-thread.js';
import { SVG_LAYOUT_WORKER_BUNDLE } from '../shared/adapters/node/worker-svg-renderer.js';
import { esbuildOptions } from './bundling.js';

const root = fileURLToPath(new URL('../', import.meta.url));

export async function buildExtraBundles(outputDir: string): Promise<string[]> {
  const worker = join(outputDir, SIMULATION_WORKER_BUNDLE);
  await build({
    ...esbuildOptions(join(root, 'shared/adapters/node/simulation-worker.ts'), worker),
    sourcemap: false,
    logLevel: 'error',
  });
  const layoutWorker = join(outputDir, SVG_LAYOUT_WORKER_BUNDLE);
  await build({
    ...esbuildOptions(join(root, 'shared/adapters/node', SVG_LAYOUT_WORKER_BUNDLE), layoutWorker),
    sourcemap: false,
    logLevel: 'error',
  });
  const consoleDir = join(outputDir, 'console');
  mkdirSync(consoleDir, { recursive: true });
  const files = [worker, layoutWorker];
  for (const [name, asset] of await buildConsole()) {
    writeFileSync(join(consoleDir, name), asset.body);
    files.push(join(consoleDir, name));
  }
  return files;
}

const [outputDir] = process.argv.slice(2);
if (outputDir && process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of await buildExtraBundles(outputDir)) console.log(`bundled ${file}`);
}
