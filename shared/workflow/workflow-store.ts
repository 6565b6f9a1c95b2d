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

/** A superseded version that may be pruned, as far as the store knows. */
export interface SupersededVersion {
  version: number;
  executionTarget: string;
  /** Retired earlier by a pruning that did not get to delete its state machine version. */
  retired: boolean;
}

/**
 * What pruning state machine versions needs of the store. Retiring comes before the check
 * for pins: a migration pins a version only while it is not retired, so once a retired
 * version shows no pin, none can appear.
 */
export interface VersionRetirement {
  /**
   * Versions superseded before `before` whose pins are tracked, not yet removed: orders are
   * created on the active version only, and a creation that read one of these as active has
   * ended by then.
   */
  superseded(tenantId: string, before: Date): Promise<SupersededVersion[]>;
  /** No order may pin the version from now on. */
  retire(tenantId: string, version: number, now: Date): Promise<void>;
  /** Undoes `retire` for a version an order turned out to pin. */
  restore(tenantId: string, version: number): Promise<void>;
  /** Whether any order pins the version (a strongly consistent read). */
  isPinned(tenantId: string, version: number): Promise<boolean>;
  /** Records that the version's state machine version is deleted. */
  removed(tenantId: string, version: number, now: Date): Promise<void>;
}
