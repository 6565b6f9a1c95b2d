import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LEGACY_KEY_SCOPES, type ScopeGrant } from '../../auth/scopes.js';
import type { ApiKeyRecord, Tenant, TenantStore } from '../../auth/tenant-store.js';
import { ConflictError } from '../../errors.js';
import type { PageKey } from '../../orders/order-store.js';
import { keys, recordTypes } from '../../table.js';
import { storeCall } from './client.js';

export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private keyPuts(key: ApiKeyRecord) {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.apiKeyByHash(key.hash), entity: recordTypes.apiKey, ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.tenantKey(key.tenantId, key.keyId), entity: recordTypes.tenantKey, ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  async createTenant(tenant: Tenant, firstKey: ApiKeyRecord): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.tenant(tenant.tenantId), entity: recordTypes.tenant, ...tenant },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...this.keyPuts(firstKey),
          ],
        }),
      ),
    );
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.tenant(tenantId) })),
    );
    return Item ? { tenantId: Item.tenantId, name: Item.name, createdAt: Item.createdAt } : undefined;
  }

  async addKey(key: ApiKeyRecord): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.tenant(key.tenantId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            ...this.keyPuts(key),
          ],
        }),
      ),
    );
  }

  async revokeKey(tenantId: string, keyId: string): Promise<boolean> {
    const key = await this.getKey(tenantId, keyId);
    if (!key) return false;
    try {
      await storeCall(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: this.tableName, Key: keys.apiKeyByHash(key.hash) } },
              {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.tenantKey(tenantId, keyId),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
            ],
          }),
        ),
      );
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
    return true;
  }

  async findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKeyByHash(hash) })),
    );
    return Item ? apiKeyFromItem(Item) : undefined;
  }

  async getKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.tenantKey(tenantId, keyId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? apiKeyFromItem(Item) : undefined;
  }

  async listKeys(tenantId: string, limit: number, after?: PageKey) {
    const { pk, sk } = keys.tenantKey(tenantId, '');
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': sk },
          Limit: limit,
          ExclusiveStartKey: after,
        }),
      ),
    );
    return {
      keys: (result.Items ?? []).map(apiKeyFromItem),
      ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey } : {}),
    };
  }

  async recordKeyUse(tenantId: string, keyId: string, now: Date, notBefore: Date): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.tenantKey(tenantId, keyId),
            UpdateExpression: 'SET lastUsedAt = :now',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notBefore)',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':notBefore': notBefore.toISOString() },
          }),
        ),
      );
    } catch (error) {
      // Recorded recently by another process, or revoked meanwhile: nothing to write.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/**
 * Reads a key item of any age: keys stored before scopes existed have no `scopes` and keep
 * the full access they had, without rewriting them.
 */
export function apiKeyFromItem(item: Record<string, unknown>): ApiKeyRecord {
  const { keyId, tenantId, role, hash, createdAt, name, lastUsedAt, scopes } = item as Partial<
    Record<string, string>
  > & { scopes?: ScopeGrant[] };
  return {
    keyId: keyId as string,
    tenantId: tenantId as string,
    role: role as string,
    scopes: scopes ?? [...LEGACY_KEY_SCOPES],
    hash: hash as string,
    createdAt: createdAt as string,
    ...(name === undefined ? {} : { name }),
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  };
}
