/**
 * Graphviz layout, in WebAssembly so it runs the same in Lambda and locally. Apart from the
 * text of diagram.ts because it is large: what only imports that text never loads Graphviz
 * (the api function lays out in a worker bundled on its own, adapters/node/svg-layout-worker.mjs).
 */
import type { Viz } from '@viz-js/viz';
import type { SvgRenderer } from './diagram-renderer.js';

let viz: Promise<Viz> | undefined;

/** Graphviz layout: heavy for dense graphs, so the API runs it through a `SvgRenderer`. */
export async function dotToSvg(dot: string): Promise<string> {
  // Loaded on first use: parsing Graphviz's WebAssembly stalls the thread that loads it.
  viz ??= import('@viz-js/viz').then(({ instance }) => instance());
  return (await viz).renderString(dot, { format: 'svg' });
}

/** Layout in this thread, unbounded: for the command line and tests, not for a server. */
export const graphvizInProcess: SvgRenderer = { render: dotToSvg };
