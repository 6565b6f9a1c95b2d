/**
 * How every function is bundled. The CDK construct and bench/bundles.ts both read these
 * options, so the benchmark measures exactly what gets deployed.
 */
import type { BuildOptions } from 'esbuild';

/** ESM bundles have no `require`; a few CommonJS dependencies inside the SDK still call it. */
const requireBanner =
  "import { createRequire as orderflowCreateRequire } from 'node:module'; const require = orderflowCreateRequire(import.meta.url);";

export const lambdaBundling = {
  format: 'esm',
  /** The Lambda runtime (Node.js 22), not the Node.js that runs tests here. */
  target: 'node22',
  minify: true,
  sourceMap: true,
  banner: requireBanner,
  /** Prefer packages' ESM builds, which tree-shake far better. */
  mainFields: ['module', 'main'],
  /** The SDK is bundled, not taken from the runtime: bundled, it imported faster (toolchain.md). */
  externalModules: [] as string[],
} as const;

/** The esbuild options CDK's NodejsFunction derives from `lambdaBundling` (its `--flag` list). */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: lambdaBundling.format,
    target: lambdaBundling.target,
    minify: lambdaBundling.minify,
    sourcemap: lambdaBundling.sourceMap,
    banner: { js: lambdaBundling.banner },
    mainFields: [...lambdaBundling.mainFields],
    external: lambdaBundling.externalModules,
  };
}
