import type { Operation } from './index.js';

export const getWorkflow: Operation<'getWorkflow'> = async ({ principal }, { workflows }) => {
  const { version, document } = await workflows.active(principal.tenantId);
  return { statusCode: 200, headers: { 'workflow-version': String(version) }, body: document };
};
