import { Worker } from 'node:worker_threads';
import { ProblemError } from '../../problem.js';
import { diagramLimits, diagramTooComplex, type SvgRenderer } from '../../workflow/diagram-renderer.js';

const WORKER = new URL('./svg-layout-worker.mjs', import.meta.url);

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
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string>((resolve, reject) => {
        timer = setTimeout(
          () => reject(diagramTooComplex(`Laying it out took longer than ${this.options.deadlineMs} ms.`)),
          this.options.deadlineMs,
        );
        worker.once('message', resolve);
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
