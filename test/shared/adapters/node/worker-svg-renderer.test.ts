import { describe, expect, it } from 'vitest';
import { WorkerSvgRenderer } from '../../../../shared/adapters/node/worker-svg-renderer.js';
import { ProblemError } from '../../../../shared/problem.js';
import { workflowToDot } from '../../../../shared/workflow/diagram.js';
import { validateWorkflow } from '../../../../shared/workflow/validate.js';
import { denseWorkflow } from '../../../support/dense-workflow.js';

function dotOf(stages: number, perStage: number): string {
  const { workflow } = validateWorkflow(denseWorkflow(stages, perStage));
  if (!workflow) throw new Error('the dense workflow is not valid');
  return workflowToDot(workflow);
}

/** Layout this dense takes seconds to minutes: far past any deadline below. */
const heavy = dotOf(60, 20);

async function failure(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

describe('the worker SVG renderer', () => {
  it('lays a workflow out as SVG', async () => {
    const svg = await new WorkerSvgRenderer().render(dotOf(4, 2));
    expect(svg).toContain('<svg');
    expect(svg).toContain('s3');
  });

  it('stops a layout that runs past its deadline and refuses it with a 422', async () => {
    const renderer = new WorkerSvgRenderer({ deadlineMs: 300, concurrency: 2 });
    const problem = (await failure(renderer.render(heavy))).toProblem();
    expect(problem.status).toBe(422);
    expect(problem.type).toMatch(/diagram-too-complex$/);
    expect(problem.detail).toMatch(/text\/vnd\.mermaid/);
  });

  it('keeps the event loop free while it lays out', async () => {
    const renderer = new WorkerSvgRenderer({ deadlineMs: 1_000, concurrency: 2 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const settled = await failure(renderer.render(heavy).finally(() => clearInterval(ticker)));
    expect(settled.status).toBe(422);
    // Laid out on this thread, no timer could fire before the layout ended.
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses more layouts at once than it may run, with a 503', async () => {
    const renderer = new WorkerSvgRenderer({ deadlineMs: 500, concurrency: 1 });
    const first = renderer.render(heavy).catch(() => 'stopped');
    const second = (await failure(renderer.render(heavy))).toProblem();
    expect(second.status).toBe(503);
    expect(await first).toBe('stopped');
  });
});
