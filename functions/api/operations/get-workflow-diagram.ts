import { assertDrawable } from '../../../shared/workflow/diagram-renderer.js';
import type { Operation } from './index.js';

export const getWorkflowDiagram: Operation<'getWorkflowDiagram'> = async (
  { principal, query, headers },
  { workflows, svgRenderer },
) => {
  const version = query.version ?? (await workflows.active(principal.tenantId)).version;
  const { workflow } = await workflows.version(principal.tenantId, version);
  // Graphviz in WebAssembly is most of the api bundle's weight: only diagram requests load it.
  const { workflowToMermaid, workflowToSvg } = await import('../../../shared/workflow/diagram.js');
  const options = query.currency ? { currency: query.currency } : {};
  const headersOut = { 'workflow-version': String(version), vary: 'accept' };
  if ((headers.accept ?? '').includes('text/vnd.mermaid')) {
    return {
      statusCode: 200,
      headers: { ...headersOut, 'content-type': 'text/vnd.mermaid; charset=utf-8' },
      body: workflowToMermaid(workflow, options),
    };
  }
  assertDrawable(workflow);
  return {
    statusCode: 200,
    headers: { ...headersOut, 'content-type': 'image/svg+xml' },
    body: await workflowToSvg(workflow, options, svgRenderer),
  };
};
