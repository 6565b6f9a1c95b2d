import { workflowToMermaid, workflowToSvg } from '../../../shared/workflow/diagram.js';
import type { Operation } from './index.js';

export const getWorkflowDiagram: Operation<'getWorkflowDiagram'> = async (
  { principal, query, headers },
  { workflows },
) => {
  const version = query.version ?? (await workflows.active(principal.tenantId)).version;
  const { workflow } = await workflows.version(principal.tenantId, version);
  const headersOut = { 'workflow-version': String(version), vary: 'accept' };
  if ((headers.accept ?? '').includes('text/vnd.mermaid')) {
    return {
      statusCode: 200,
      headers: { ...headersOut, 'content-type': 'text/vnd.mermaid; charset=utf-8' },
      body: workflowToMermaid(workflow),
    };
  }
  return {
    statusCode: 200,
    headers: { ...headersOut, 'content-type': 'image/svg+xml' },
    body: await workflowToSvg(workflow),
  };
};
