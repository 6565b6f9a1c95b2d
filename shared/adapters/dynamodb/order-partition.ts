import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.js';
import type { PageKey } from '../../orders/order-store.js';
import { storeCall } from './client.js';

/** Records kept in an order's partition (stage actions', changes'), listed newest first. */
export class OrderPartitionRecords<T extends object> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly entity: string,
    private readonly prefix: string,
  ) {}

  /** Puts the record unless its key is taken; answers the stored record either way. */
  async putOnce(key: { pk: string; sk: string }, tenantId: string, record: T): Promise<T> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, entity: this.entity, tenantId, ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const stored = await this.get(key);
    if (!stored)
      throw new ConflictError(`The ${this.entity} at ${key.sk} vanished after its write was refused.`);
    return stored;
  }

  async get(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return Item ? this.recordOf(Item) : undefined;
  }

  /**
   * Marks the record cancelled unless it already is; true when this call cancelled it, so a
   * re-run (or a concurrent run) announces each cancellation once.
   */
  async cancelOnce(key: { pk: string; sk: string }, at: string): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status <> :cancelled)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Every record of the partition under the prefix, newest first. */
  async all(pk: string): Promise<T[]> {
    const records: T[] = [];
    let after: PageKey | undefined;
    do {
      const page = await this.list(pk, 100, after);
      records.push(...page.records);
      after = page.lastKey;
    } while (after);
    return records;
  }

  /** A page of the partition's records under the prefix, newest first; lastKey only when more follow. */
  async list(pk: string, limit: number, after?: PageKey): Promise<{ records: T[]; lastKey?: PageKey }> {
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': this.prefix },
          ScanIndexForward: false,
          ConsistentRead: true,
          // One more than asked tells whether another page exists, so the last page has no cursor.
          Limit: limit + 1,
          ExclusiveStartKey: after,
        }),
      ),
    );
    const items = (result.Items ?? []).slice(0, limit);
    const last = items.at(-1);
    const more = (result.Items?.length ?? 0) > limit;
    return {
      records: items.map((item) => this.recordOf(item)),
      ...(more && last ? { lastKey: { pk: last.pk, sk: last.sk } } : {}),
    };
  }

  private recordOf(item: Record<string, unknown>): T {
    const { pk: _pk, sk: _sk, entity: _entity, tenantId: _tenantId, ...record } = item;
    return record as T;
  }
}
