import { ProblemError } from '../../../shared/problem.js';
import { assertDrawable } from '../../../shared/workflow/diagram-renderer.js';
import type { Operation } from './index.js';

/** Draws a document before it is published (the studio's live diagram). */
export const drawWorkflowDiagram: Operation<'drawWorkflowDiagram'> = async (
  { body, query },
  { workflows, svgRenderer },
) => {
  const result = workflows.validate(body);
  if (!result.workflow) {
    throw new ProblemError(422, 'invalid-workflow', 'The workflow document is not valid.', {
      errors: result.errors,
    });
  }
  assertDrawable(result.workflow);
  const { workflowToSvg } = await import('../../../shared/workflow/diagram.js');
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/svg+xml' },
    body: await workflowToSvg(
      result.workflow,
      query.currency ? { currency: query.currency } : {},
      svgRenderer,
    ),
  };
};
