import { ConflictError } from '../../errors.js';
import type { PinnedWorkflow, WorkflowShape } from '../../orders/workflow-source.js';
import { BUILT_IN_VERSION, type WorkflowStore, type WorkflowVersion } from '../../workflow/workflow-store.js';

const pinnedOf = <W extends WorkflowShape>(version: WorkflowVersion<W>): PinnedWorkflow<W> => ({
  version: version.version,
  workflow: version.workflow,
  ...(version.executionTarget ? { executionTarget: version.executionTarget } : {}),
});

/** Published workflow versions in memory; the built-in one is every tenant's version 0. */
export class MemoryWorkflowStore<W extends WorkflowShape> implements WorkflowStore<W> {
  /** Activated versions, oldest first. */
  private readonly versions = new Map<string, WorkflowVersion<W>[]>();
  /** A tenant's reserved, not yet activated version. */
  private readonly reservations = new Map<string, WorkflowVersion<W>>();

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

  /** Memory has no item limit. */
  storageProblem(): string | undefined {
    return undefined;
  }

  async reserve(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>> {
    if (this.reservations.has(tenantId))
      throw new ConflictError('Another publish reserved the next version.');
    const reserved = {
      ...structuredClone(draft),
      version: this.of(tenantId).length + 1,
    } as WorkflowVersion<W>;
    this.reservations.set(tenantId, reserved);
    return structuredClone(reserved);
  }

  async activate(tenantId: string, reserved: WorkflowVersion<W>): Promise<void> {
    if (this.reservations.get(tenantId)?.version !== reserved.version) {
      throw new ConflictError(`Version ${reserved.version} is not reserved.`);
    }
    this.reservations.delete(tenantId);
    this.versions.set(tenantId, [...this.of(tenantId), structuredClone(reserved)]);
  }

  async release(tenantId: string, version: number): Promise<void> {
    if (this.reservations.get(tenantId)?.version === version) this.reservations.delete(tenantId);
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
