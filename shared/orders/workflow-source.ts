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
  workflow: W;
  /** Where executions of this version start (a state machine version ARN on AWS). */
  executionTarget?: string;
}

/** Where a tenant's workflows come from: its active one for new orders, and the one an order is pinned to. */
export interface WorkflowSource<W extends WorkflowShape = WorkflowShape> {
  active(tenantId: string): Promise<PinnedWorkflow<W>>;
  version(tenantId: string, version: number): Promise<PinnedWorkflow<W> | undefined>;
}
