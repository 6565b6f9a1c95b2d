import type { PinnedWorkflow, WorkflowShape } from '../../orders/workflow-source.js';
import { BUILT_IN_VERSION, type WorkflowStore, type WorkflowVersion } from '../../workflow/workflow-store.js';

const pinnedOf = <W extends WorkflowShape>(version: WorkflowVersion<W>): PinnedWorkflow<W> => ({
  version: version.version,
  workflow: version.workflow,
  ...(version.executionTarget ? { executionTarget: version.executionTarget } : {}),
});

/** Published workflow versions in memory; the built-in one is every tenant's version 0. */
export class MemoryWorkflowStore<W extends WorkflowShape> implements WorkflowStore<W> {
  private readonly versions = new Map<string, WorkflowVersion<W>[]>();

  constructor(private readonly builtIn: W) {}

  private of(tenantId: string): WorkflowVersion<W>[] {
    return this.versions.get(tenantId) ?? [];
  }

  async active(tenantId: string): Promise<PinnedWorkflow<W>> {
    const latest = this.of(tenantId).at(-1);
    return latest ? pinnedOf(latest) : { version: BUILT_IN_VERSION, workflow: this.builtIn };
  }

  async version(tenantId: string, version: number): Promise<PinnedWorkflow<W> | undefined> {
    if (version === BUILT_IN_VERSION) return { version, workflow: this.builtIn };
    const stored = await this.get(tenantId, version);
    return stored && pinnedOf(stored);
  }

  async get(tenantId: string, version: number): Promise<WorkflowVersion<W> | undefined> {
    const stored = this.of(tenantId).find((candidate) => candidate.version === version);
    return stored && structuredClone(stored);
  }

  async publish(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>> {
    const published = {
      ...structuredClone(draft),
      version: this.of(tenantId).length + 1,
    } as WorkflowVersion<W>;
    this.versions.set(tenantId, [...this.of(tenantId), published]);
    return structuredClone(published);
  }

  async list(
    tenantId: string,
    limit: number,
    beforeVersion?: number,
  ): Promise<{ versions: WorkflowVersion<W>[]; hasMore: boolean }> {
    const newestFirst = [...this.of(tenantId)]
      .reverse()
      .filter((version) => beforeVersion === undefined || version.version < beforeVersion);
    return { versions: structuredClone(newestFirst.slice(0, limit)), hasMore: newestFirst.length > limit };
  }
}
