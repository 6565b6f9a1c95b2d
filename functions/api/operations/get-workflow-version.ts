import { problems } from '../../../shared/problem.js';
import type { Operation } from './index.js';

export const getWorkflowVersion: Operation<'getWorkflowVersion'> = async (
  { principal, params },
  { workflows },
) => {
  const version = Number(params.version);
  if (!/^\d{1,9}$/.test(params.version)) throw problems.notFound(`Workflow version ${params.version}`);
  const found = await workflows.version(principal.tenantId, version);
  return {
    statusCode: 200,
    body: {
      version: found.version,
      name: found.workflow.name,
      aslSha256: found.aslSha256,
      publishedAt: found.publishedAt,
      ...(found.publishedBy ? { publishedBy: found.publishedBy } : {}),
      document: found.document,
      asl: JSON.parse(found.asl),
    },
  };
};
