import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, Tenant, TenantStore } from '../../auth/tenant-store.js';
import { ConflictError } from '../../errors.js';
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
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.tenantKey(tenantId, keyId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return false;
    try {
      await storeCall(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: this.tableName, Key: keys.apiKeyByHash(Item.hash as string) } },
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
    if (!Item) return undefined;
    const { keyId, tenantId, role, createdAt } = Item;
    return { keyId, tenantId, role, hash, createdAt };
  }
}
