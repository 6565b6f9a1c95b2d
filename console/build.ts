/**
 * Bundles the console (console/src) for browsers with esbuild: ES modules split into chunks,
 * so the order board loads without the studio's editor, which arrives when the studio opens.
 * The local stack builds it in memory on first request; the api function's bundle carries it
 * (infra/extra-bundles.ts); bench/console.ts measures it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ConsoleAsset, contentTypeOf } from '../shared/console/console-assets.js';

const here = fileURLToPath(new URL('./', import.meta.url));

export async function buildConsole(): Promise<Map<string, ConsoleAsset>> {
  const result = await build({
    entryPoints: [`${here}src/main.ts`],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/console',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    logLevel: 'error',
  });
  const assets = new Map<string, ConsoleAsset>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    assets.set(name, { body: file.text, contentType: contentTypeOf(name) ?? 'application/octet-stream' });
  }
  for (const name of ['index.html', 'console.css']) {
    assets.set(name, {
      body: readFileSync(`${here}${name}`, 'utf8'),
      contentType: contentTypeOf(name) ?? 'text/plain',
    });
  }
  return assets;
}
