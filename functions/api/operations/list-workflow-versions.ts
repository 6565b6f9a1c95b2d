import type { Operation } from './index.js';

export const listWorkflowVersions: Operation<'listWorkflowVersions'> = async (
  { principal, query },
  { workflows, cursors },
) => {
  const scope = `workflow-versions:${principal.tenantId}`;
  const before = query.cursor === undefined ? undefined : Number(cursors.decode(query.cursor, scope));
  const page = await workflows.summaries(principal.tenantId, query.limit, before);
  const nextCursor = page.next === undefined ? null : cursors.encode(page.next, scope);
  return { statusCode: 200, body: { items: page.versions, nextCursor } };
};
