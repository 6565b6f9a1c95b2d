import { ProblemError } from '../problem.js';
import type { Workflow } from './schema.js';

/**
 * Lays out a Graphviz graph as SVG. Layout time grows much faster than the graph (a
 * 40-stage workflow with 400 transitions took over 10 s), so adapters bound it: the one the
 * local stack uses runs it off the event loop with a deadline.
 */
export interface SvgRenderer {
  render(dot: string): Promise<string>;
}

/** Beyond these a diagram is refused at once rather than laid out (api.md, workflow diagram). */
export const diagramLimits = {
  /** Arrows: transitions, timeouts and action-failure routes together. */
  arrows: 300,
  /** How long one layout may run before it is stopped and refused. */
  deadlineMs: 2_000,
} as const;

const MERMAID_HINT = 'Ask for `Accept: text/vnd.mermaid`, which has no such limit.';

export function diagramTooComplex(detail: string): ProblemError {
  return new ProblemError(422, 'diagram-too-complex', `${detail} ${MERMAID_HINT}`, {
    extensions: { limits: diagramLimits },
  });
}

export function arrowCount(workflow: Workflow): number {
  return workflow.stages.reduce(
    (sum, stage) =>
      sum +
      stage.transitions.length +
      (stage.timeout ? 1 : 0) +
      stage.onEnter.filter((action) => 'onError' in action && typeof action.onError === 'object').length,
    0,
  );
}

/** Refuses a workflow too dense to lay out in time, before any layout starts. */
export function assertDrawable(workflow: Workflow): void {
  const arrows = arrowCount(workflow);
  if (arrows > diagramLimits.arrows) {
    throw diagramTooComplex(
      `The workflow has ${arrows} arrows; diagrams are drawn for at most ${diagramLimits.arrows}.`,
    );
  }
}
