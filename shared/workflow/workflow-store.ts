import type { Actor } from '../orders/schema.js';
import type { PinnedWorkflow, WorkflowShape, WorkflowSource } from '../orders/workflow-source.js';

/** One immutable published workflow version. */
export interface WorkflowVersion<W extends WorkflowShape = WorkflowShape> extends PinnedWorkflow<W> {
  /** The document as it was uploaded. */
  document: unknown;
  asl: string;
  aslSha256: string;
  publishedBy: Actor;
  publishedAt: string;
}

/**
 * Publishing is three steps, so that no failure leaves a state machine version without its
 * record: `reserve` stores the next version (not yet readable) before the engine publishes
 * it, `activate` records where it runs and makes it the active one, and `release` drops a
 * reservation the engine did not publish.
 */
export interface WorkflowStore<W extends WorkflowShape = WorkflowShape> extends WorkflowSource<W> {
  /** Why the draft cannot be stored (its item would exceed the database's size limit), if it cannot. */
  storageProblem(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): string | undefined;
  /** Stores the draft as the next version, unpublished; a concurrent reservation gets a ConflictError. */
  reserve(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>>;
  /** Makes the reserved version active, atomically with where it runs. */
  activate(tenantId: string, reserved: WorkflowVersion<W>): Promise<void>;
  /** Drops a reservation that was never activated. */
  release(tenantId: string, version: number): Promise<void>;
  /** Published versions, newest first (the built-in default, version 0, is not stored). */
  list(
    tenantId: string,
    limit: number,
    beforeVersion?: number,
  ): Promise<{ versions: WorkflowVersion<W>[]; hasMore: boolean }>;
  get(tenantId: string, version: number): Promise<WorkflowVersion<W> | undefined>;
}
