import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BuiltInDefaults, PinnedWorkflow, WorkflowShape } from '../../orders/workflow-source.js';
import { keys, recordTypes } from '../../table.js';
import type { WorkflowStore, WorkflowVersion } from '../../workflow/workflow-store.js';
import { storeCall } from './client.js';

/** The built-in default workflow is version 0 of every tenant until it publishes its own. */
export const BUILT_IN_VERSION = 0;

function fromItem<W extends WorkflowShape>(item: Record<string, unknown>): WorkflowVersion<W> {
  return {
    version: item.version as number,
    workflow: item.workflow as W,
    document: item.document,
    asl: item.asl as string,
    ...(item.executionTarget ? { executionTarget: item.executionTarget as string } : {}),
    aslSha256: item.aslSha256 as string,
    publishedBy: item.publishedBy as WorkflowVersion['publishedBy'],
    publishedAt: item.publishedAt as string,
  };
}

export class DynamoWorkflowStore<W extends WorkflowShape> implements WorkflowStore<W> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly builtIn: BuiltInDefaults<W>,
  ) {}

  private builtInVersion(revision = this.builtIn.current): PinnedWorkflow<W> {
    return { version: BUILT_IN_VERSION, revision, workflow: this.builtIn.of(revision) };
  }

  async active(tenantId: string): Promise<PinnedWorkflow<W>> {
    // The active pointer carries a copy of the document, so creating an order costs one read.
    const { Item } = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.activeWorkflow(tenantId) })),
    );
    if (!Item) return this.builtInVersion();
    return {
      version: Item.version as number,
      workflow: Item.workflow as W,
      ...(Item.executionTarget ? { executionTarget: Item.executionTarget as string } : {}),
    };
  }

  async version(
    tenantId: string,
    version: number,
    revision?: number,
  ): Promise<PinnedWorkflow<W> | undefined> {
    if (version === BUILT_IN_VERSION) return this.builtInVersion(revision);
    const stored = await this.get(tenantId, version);
    return (
      stored && {
        version: stored.version,
        workflow: stored.workflow,
        ...(stored.executionTarget ? { executionTarget: stored.executionTarget } : {}),
      }
    );
  }

  async get(tenantId: string, version: number): Promise<WorkflowVersion<W> | undefined> {
    if (!Number.isSafeInteger(version) || version < 1) return undefined;
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keys.workflowVersion(tenantId, version) }),
      ),
    );
    return Item ? fromItem<W>(Item) : undefined;
  }

  async publish(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>> {
    const current = await this.active(tenantId);
    const published: WorkflowVersion<W> = { ...draft, version: current.version + 1 };
    await storeCall(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.workflowVersion(tenantId, published.version),
                  entity: recordTypes.workflowVersion,
                  ...published,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.activeWorkflow(tenantId),
                  entity: recordTypes.activeWorkflow,
                  version: published.version,
                  workflow: published.workflow,
                  ...(published.executionTarget ? { executionTarget: published.executionTarget } : {}),
                },
                // Two concurrent publishes: one wins, the other gets a conflict and may retry.
                ConditionExpression:
                  current.version === BUILT_IN_VERSION ? 'attribute_not_exists(pk)' : 'version = :current',
                ...(current.version === BUILT_IN_VERSION
                  ? {}
                  : { ExpressionAttributeValues: { ':current': current.version } }),
              },
            },
          ],
        }),
      ),
    );
    return published;
  }

  async list(
    tenantId: string,
    limit: number,
    beforeVersion?: number,
  ): Promise<{ versions: WorkflowVersion<W>[]; hasMore: boolean }> {
    const { pk } = keys.activeWorkflow(tenantId);
    const upper = beforeVersion === undefined ? 'V#~' : keys.workflowVersion(tenantId, beforeVersion - 1).sk;
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': 'V#', ':to': upper },
          ScanIndexForward: false,
          Limit: limit + 1,
        }),
      ),
    );
    const items = result.Items ?? [];
    return {
      versions: items.slice(0, limit).map((item) => fromItem<W>(item)),
      hasMore: items.length > limit,
    };
  }
}
