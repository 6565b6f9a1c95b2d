import type { Operation } from './index.js';

export const listWorkflowVersions: Operation<'listWorkflowVersions'> = async (
  { principal, query },
  { workflows, cursors },
) => {
  const scope = `workflow-versions:${principal.tenantId}`;
  const before = query.cursor === undefined ? undefined : Number(cursors.decode(query.cursor, scope));
  const page = await workflows.list(principal.tenantId, query.limit, before);
  const summaries = page.versions.map(({ version, workflow, aslSha256, publishedAt, publishedBy }) => ({
    version,
    name: workflow.name,
    aslSha256,
    publishedAt,
    publishedBy,
  }));
  // The built-in default is every tenant's version 0, listed last.
  const includeBuiltIn = !page.hasMore && summaries.length < query.limit;
  if (includeBuiltIn) {
    const builtIn = await workflows.version(principal.tenantId, 0);
    summaries.push({
      version: 0,
      name: builtIn.workflow.name,
      aslSha256: builtIn.aslSha256,
      publishedAt: builtIn.publishedAt,
      publishedBy: undefined as never,
    });
  }
  const last = page.versions.at(-1);
  const nextCursor = page.hasMore && last ? cursors.encode(last.version, scope) : null;
  return { statusCode: 200, body: { items: summaries, nextCursor } };
};
