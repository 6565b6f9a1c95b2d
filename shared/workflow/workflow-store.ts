import type { Actor } from '../orders/schema.js';
import type { PinnedWorkflow, WorkflowShape, WorkflowSource } from '../orders/workflow-source.js';

/** The built-in default workflow is version 0 of every tenant until it publishes its own. */
export const BUILT_IN_VERSION = 0;

/** One immutable published workflow version. */
export interface WorkflowVersion<W extends WorkflowShape = WorkflowShape> extends PinnedWorkflow<W> {
  /** The document as it was uploaded. */
  document: unknown;
  asl: string;
  aslSha256: string;
  publishedBy: Actor;
  publishedAt: string;
}

export interface WorkflowStore<W extends WorkflowShape = WorkflowShape> extends WorkflowSource<W> {
  /** Stores the next version and makes it active, atomically; returns its number. */
  publish(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>>;
  /** Published versions, newest first (the built-in default, version 0, is not stored). */
  list(
    tenantId: string,
    limit: number,
    beforeVersion?: number,
  ): Promise<{ versions: WorkflowVersion<W>[]; hasMore: boolean }>;
  get(tenantId: string, version: number): Promise<WorkflowVersion<W> | undefined>;
}
