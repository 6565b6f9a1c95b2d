import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BuiltInDefaults, PinnedWorkflow, WorkflowShape } from '../../orders/workflow-source.js';
import { workflowVersionAttributes as attributes, keys, recordTypes } from '../../table.js';
import {
  BUILT_IN_VERSION,
  type SupersededVersion,
  type VersionRetirement,
  type WorkflowStore,
  type WorkflowVersion,
} from '../../workflow/workflow-store.js';
import { storeCall } from './client.js';
import { pack, unpack } from './packing.js';

/**
 * DynamoDB's item limit is 400 KB (409,600 bytes, attribute names included); this leaves
 * room for the attributes `activate` adds. A compiled definition repeats itself state after
 * state, so packed it is a few percent of its size (a 629 KB one packs to about 15 KB).
 */
export const MAX_VERSION_ITEM_BYTES = 400_000;
/** A reservation older than this was left by a publish that died between its steps. */
const STALE_RESERVATION_MS = 15 * 60 * 1000;
const RESERVATION_NAMES = { '#reserved': 'reserved', '#reservedAt': 'reservedAt' };

/** The item's size as DynamoDB counts it, rounded up for numbers and nested maps. */
export function itemBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, entry) => sum + 1 + itemBytes(entry), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, entry]) => sum + 1 + Buffer.byteLength(name) + itemBytes(entry),
      0,
    )
  );
}

function fromItem<W extends WorkflowShape>(item: Record<string, unknown>): WorkflowVersion<W> {
  return {
    version: item.version as number,
    // Packed since versions could outgrow an item; earlier ones are stored as plain values.
    workflow: unpack<W>(item.workflow),
    document: unpack(item.document),
    asl: unpack<string>(item.asl),
    ...(item.executionTarget ? { executionTarget: item.executionTarget as string } : {}),
    ...(item[attributes.retiredAt] ? { retired: true } : {}),
    aslSha256: item.aslSha256 as string,
    publishedBy: item.publishedBy as WorkflowVersion['publishedBy'],
    publishedAt: item.publishedAt as string,
  };
}

export class DynamoWorkflowStore<W extends WorkflowShape> implements WorkflowStore<W>, VersionRetirement {
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
      workflow: unpack<W>(Item.workflow),
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
        ...(stored.retired ? { retired: true } : {}),
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
    return Item && !Item.reserved ? fromItem<W>(Item) : undefined;
  }

  private versionItem(tenantId: string, version: WorkflowVersion<W>): Record<string, unknown> {
    return {
      ...keys.workflowVersion(tenantId, version.version),
      entity: recordTypes.workflowVersion,
      ...version,
      [attributes.tracksPins]: true,
      workflow: pack(version.workflow),
      document: pack(version.document),
      asl: pack(version.asl),
    };
  }

  storageProblem(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): string | undefined {
    const item = {
      ...this.versionItem(tenantId, { ...draft, version: Number.MAX_SAFE_INTEGER }),
      reserved: true,
      reservedAt: Date.now(),
    };
    const bytes = itemBytes(item);
    if (bytes <= MAX_VERSION_ITEM_BYTES) return undefined;
    return `the workflow version would take about ${bytes} bytes to store, compressed; at most ${MAX_VERSION_ITEM_BYTES} fit`;
  }

  async reserve(tenantId: string, draft: Omit<WorkflowVersion<W>, 'version'>): Promise<WorkflowVersion<W>> {
    const current = await this.active(tenantId);
    const reserved: WorkflowVersion<W> = { ...draft, version: current.version + 1 };
    const now = Date.now();
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.versionItem(tenantId, reserved), reserved: true, reservedAt: now },
          // Two concurrent publishes: one reserves the number, the other gets a conflict before
          // it has published anything. A reservation a dead publish left behind is taken over.
          ConditionExpression: 'attribute_not_exists(pk) OR (#reserved = :true AND #reservedAt < :stale)',
          ExpressionAttributeNames: RESERVATION_NAMES,
          ExpressionAttributeValues: { ':true': true, ':stale': now - STALE_RESERVATION_MS },
        }),
      ),
    );
    return reserved;
  }

  async activate(tenantId: string, reserved: WorkflowVersion<W>): Promise<void> {
    const previous = reserved.version - 1;
    const target = reserved.executionTarget;
    await storeCall(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.workflowVersion(tenantId, reserved.version),
                UpdateExpression: `REMOVE #reserved, #reservedAt${target ? ' SET executionTarget = :target' : ''}`,
                ConditionExpression: '#reserved = :true',
                ExpressionAttributeNames: RESERVATION_NAMES,
                ExpressionAttributeValues: { ':true': true, ...(target ? { ':target': target } : {}) },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.activeWorkflow(tenantId),
                  entity: recordTypes.activeWorkflow,
                  version: reserved.version,
                  workflow: pack(reserved.workflow),
                  ...(target ? { executionTarget: target } : {}),
                },
                ConditionExpression:
                  previous === BUILT_IN_VERSION ? 'attribute_not_exists(pk)' : 'version = :current',
                ...(previous === BUILT_IN_VERSION
                  ? {}
                  : { ExpressionAttributeValues: { ':current': previous } }),
              },
            },
            ...(previous === BUILT_IN_VERSION
              ? []
              : [
                  {
                    Update: {
                      TableName: this.tableName,
                      Key: keys.workflowVersion(tenantId, previous),
                      UpdateExpression: 'SET #supersededAt = :now',
                      ConditionExpression: 'attribute_exists(pk)',
                      ExpressionAttributeNames: { '#supersededAt': attributes.supersededAt },
                      ExpressionAttributeValues: { ':now': new Date().toISOString() },
                    },
                  },
                ]),
          ],
        }),
      ),
    );
  }

  async release(tenantId: string, version: number): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.workflowVersion(tenantId, version),
          ConditionExpression: '#reserved = :true',
          ExpressionAttributeNames: { '#reserved': 'reserved' },
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
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
          // A reservation is not a version until it is activated.
          FilterExpression: 'attribute_not_exists(#reserved)',
          ExpressionAttributeNames: { '#reserved': 'reserved' },
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

  async superseded(tenantId: string, before: Date): Promise<SupersededVersion[]> {
    const found: SupersededVersion[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :versions)',
            FilterExpression:
              '#tracksPins = :true AND #supersededAt < :before AND attribute_exists(executionTarget) AND attribute_not_exists(#removedAt)',
            ProjectionExpression: 'version, executionTarget, #retiredAt',
            ExpressionAttributeNames: {
              '#tracksPins': attributes.tracksPins,
              '#supersededAt': attributes.supersededAt,
              '#retiredAt': attributes.retiredAt,
              '#removedAt': attributes.removedAt,
            },
            ExpressionAttributeValues: {
              ':pk': keys.activeWorkflow(tenantId).pk,
              ':versions': 'V#',
              ':true': true,
              ':before': before.toISOString(),
            },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        found.push({
          version: item.version as number,
          executionTarget: item.executionTarget as string,
          retired: item[attributes.retiredAt] !== undefined,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async retire(tenantId: string, version: number, now: Date): Promise<void> {
    await this.mark(tenantId, version, `SET #at = :now`, attributes.retiredAt, now);
  }

  async restore(tenantId: string, version: number): Promise<void> {
    await this.mark(tenantId, version, 'REMOVE #at', attributes.retiredAt);
  }

  async removed(tenantId: string, version: number, now: Date): Promise<void> {
    await this.mark(tenantId, version, 'SET #at = :now', attributes.removedAt, now);
  }

  /** One attribute of a superseded version, set or removed. */
  private async mark(
    tenantId: string,
    version: number,
    update: string,
    attribute: string,
    now?: Date,
  ): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.workflowVersion(tenantId, version),
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(#supersededAt)',
          ExpressionAttributeNames: { '#at': attribute, '#supersededAt': attributes.supersededAt },
          ...(now ? { ExpressionAttributeValues: { ':now': now.toISOString() } } : {}),
        }),
      ),
    );
  }

  async isPinned(tenantId: string, version: number): Promise<boolean> {
    const { Items } = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.workflowPins(tenantId, version) },
          ConsistentRead: true,
          Limit: 1,
        }),
      ),
    );
    return (Items ?? []).length > 0;
  }
}
