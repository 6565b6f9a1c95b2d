/** What the order service needs to know about a workflow's stages. */
export interface StageShape {
  id: string;
  editable?: boolean;
  final?: boolean;
}

export interface WorkflowShape {
  initialStage: string;
  stages: readonly StageShape[];
}

export interface PinnedWorkflow<W extends WorkflowShape = WorkflowShape> {
  version: number;
  /** Version 0 only: which revision of the built-in default. */
  revision?: number;
  workflow: W;
  /** Where executions of this version start (a state machine version ARN on AWS). */
  executionTarget?: string;
  /** Pruned: no order may move to it (orders done with it still read it). */
  retired?: boolean;
}

/** Where a tenant's workflows come from: its active one for new orders, and the one an order is pinned to. */
export interface WorkflowSource<W extends WorkflowShape = WorkflowShape> {
  active(tenantId: string): Promise<PinnedWorkflow<W>>;
  /** For version 0, `revision` picks the built-in default's revision (default: the current one). */
  version(tenantId: string, version: number, revision?: number): Promise<PinnedWorkflow<W> | undefined>;
}

/** The built-in default workflow's revisions, as a workflow source serves them. */
export interface BuiltInDefaults<W extends WorkflowShape = WorkflowShape> {
  /** The revision new orders of a tenant without a workflow get. */
  current: number;
  of(revision: number): W;
}

/**
 * The (version, revision) an order runs. Orders stored before the built-in default had
 * revisions carry none: they run its first revision.
 */
export function workflowRefOf(order: { workflow: { version: number; revision?: number } }): {
  version: number;
  revision?: number;
} {
  const { version, revision } = order.workflow;
  return version === 0 ? { version, revision: revision ?? 1 } : { version };
}
