import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.js';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_S,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../http/idempotency-store.js';
import type { StoredResponse } from '../../orders/order-store.js';
import { keys, recordTypes } from '../../table.js';
import { storeCall } from './client.js';
import { pack, unpack } from './packing.js';

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    tenantId: string,
    key: string,
    requestHash: string,
    owner: string,
    now: Date,
  ): ReturnType<IdempotencyStore['claim']> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.idempotency(tenantId, key),
              entity: recordTypes.idempotency,
              state: 'pending',
              requestHash,
              owner,
              leaseUntil: now.getTime() + IDEMPOTENCY_LEASE_MS,
              expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_S,
            },
            // Free, or held by a request whose lease ran out (it crashed before finishing).
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :pending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending', ':now': now.getTime() },
          }),
        ),
      );
      return { claimed: true as const };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const record = await this.get(tenantId, key);
      // Released between our attempt and the read: the caller simply tries again.
      if (!record) return this.claim(tenantId, key, requestHash, owner, now);
      // Our own claim: the SDK retried a put whose first attempt did land (it timed out or the
      // connection dropped after the write), so the condition now fails against ourselves.
      if (record.owner === owner && record.state === 'pending') return { claimed: true as const };
      return { claimed: false as const, record };
    }
  }

  async get(tenantId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.idempotency(tenantId, key),
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return undefined;
    return {
      requestHash: Item.requestHash as string,
      state: Item.state as IdempotencyRecord['state'],
      owner: Item.owner as string,
      ...(Item.response ? { response: unpack<StoredResponse>(Item.response) } : {}),
    };
  }

  async complete(tenantId: string, key: string, owner: string, response: StoredResponse, now: Date) {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.idempotency(tenantId, key),
            UpdateExpression: 'SET #state = :done, #response = :response, expiresAt = :expiresAt',
            ConditionExpression: '#owner = :owner AND #state = :pending',
            ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state', '#response': 'response' },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':pending': 'pending',
              ':done': 'done',
              ':response': pack(response),
              ':expiresAt': Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_S,
            },
          }),
        ),
      );
    } catch (error) {
      // Already completed inside the handler's own transaction.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async release(tenantId: string, key: string, owner: string) {
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.idempotency(tenantId, key),
            ConditionExpression: '#owner = :owner AND #state = :pending',
            ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
            ExpressionAttributeValues: { ':owner': owner, ':pending': 'pending' },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
