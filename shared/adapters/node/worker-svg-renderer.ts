import { Worker } from 'node:worker_threads';
import { ProblemError } from '../../problem.js';
import { diagramLimits, diagramTooComplex, type SvgRenderer } from '../../workflow/diagram-renderer.js';

/**
 * The layout worker: Graphviz in WebAssembly, most of the code the diagram needs. From source
 * it is the plain module beside this one; a function bundle has it built beside itself
 * (infra/extra-bundles.ts), so the bundle's cold start never loads Graphviz.
 */
export const SVG_LAYOUT_WORKER_BUNDLE = 'svg-layout-worker.mjs';
const WORKER = new URL(`./${SVG_LAYOUT_WORKER_BUNDLE}`, import.meta.url);
const STARTUP_MS = 30_000;

/**
 * Each layout on its own worker thread, so the event loop keeps serving other requests;
 * a layout past the deadline is stopped (the thread terminated) and refused. At most
 * `concurrency` layouts run at once: more would only slow each other past the deadline.
 */
export class WorkerSvgRenderer implements SvgRenderer {
  private running = 0;

  constructor(
    private readonly options: { deadlineMs: number; concurrency: number } = {
      deadlineMs: diagramLimits.deadlineMs,
      concurrency: 2,
    },
  ) {}

  async render(dot: string): Promise<string> {
    if (this.running >= this.options.concurrency) {
      throw new ProblemError(503, 'busy', 'Other diagrams are being drawn right now; retry in a moment.');
    }
    this.running++;
    const worker = new Worker(WORKER, {
      workerData: dot,
      // The worker is plain JavaScript: the parent's flags (a TypeScript loader, --input-type
      // when the parent runs from --eval) would only stop it from loading.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string>((resolve, reject) => {
        const refuse = () =>
          reject(diagramTooComplex(`Laying it out took longer than ${this.options.deadlineMs} ms.`));
        // Loading Graphviz is bounded too, generously: a machine under load may take seconds.
        timer = setTimeout(() => reject(new Error('The layout worker did not start.')), STARTUP_MS);
        worker.on('message', (message: { ready?: true; svg?: string }) => {
          if (message.ready) {
            clearTimeout(timer);
            timer = setTimeout(refuse, this.options.deadlineMs);
          } else if (message.svg !== undefined) resolve(message.svg);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`The layout worker exited with code ${code}.`)));
      });
    } finally {
      clearTimeout(timer);
      this.running--;
      void worker.terminate();
    }
  }
}
