import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.js';
import type { NewEvent } from '../../events/catalog.js';
import { IDEMPOTENCY_RETENTION_S } from '../../http/idempotency-store.js';
import { numberedEvents } from '../../orders/history.js';
import type {
  IdempotencyCompletion,
  OrderChange,
  OrderIdentity,
  OrderRecord,
  OrderStore,
  PageKey,
} from '../../orders/order-store.js';
import type { Order, OrderEvent } from '../../orders/schema.js';
import {
  ENTITY_ATTRIBUTE,
  type IndexName,
  keys,
  OWED_START_SHARDS,
  orderAttributes,
  recordTypes,
  workflowVersionAttributes,
} from '../../table.js';
import { orderItem, orderRecordOf, owedStartAttributes } from '../../table-records.js';
import { BUILT_IN_VERSION } from '../../workflow/workflow-store.js';
import { storeCall } from './client.js';
import { companionItems } from './companion-writes.js';
import { eventItem, eventOf } from './history-events.js';
import { pack } from './packing.js';

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Marks the claimed key done with its response, in the same transaction as the change it answers. */
function idempotencyCompletion(
  tableName: string,
  tenantId: string,
  completion: IdempotencyCompletion,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.idempotency(tenantId, completion.key),
      UpdateExpression: 'SET #state = :done, #response = :response, expiresAt = :expiresAt',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: {
        ':owner': completion.owner,
        ':done': 'done',
        ':response': pack(completion.response),
        ':expiresAt': Math.floor(Date.now() / 1000) + IDEMPOTENCY_RETENTION_S,
      },
    },
  };
}

/** The order starts pinning the workflow version it runs (see OrderStore). */
function pinPut(tableName: string, tenantId: string, order: Order): TransactItem[] {
  const { version } = order.workflow;
  if (version === BUILT_IN_VERSION) return [];
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.workflowPin(tenantId, version, order.id),
          [ENTITY_ATTRIBUTE]: recordTypes.workflowPin,
          orderId: order.id,
        },
      },
    },
  ];
}

function pinDelete(tableName: string, tenantId: string, order: Order): TransactItem[] {
  const { version } = order.workflow;
  if (version === BUILT_IN_VERSION) return [];
  return [{ Delete: { TableName: tableName, Key: keys.workflowPin(tenantId, version, order.id) } }];
}

/**
 * Moving to another version pins it only while it is not retired: pruning retires a version
 * first and deletes it only when no pin shows up after, so the two cannot cross.
 */
function pinMove(tableName: string, tenantId: string, from: Order, to: Order): TransactItem[] {
  if (from.workflow.version === to.workflow.version) return [];
  const target = to.workflow.version;
  return [
    ...pinDelete(tableName, tenantId, from),
    ...pinPut(tableName, tenantId, to),
    ...(target === BUILT_IN_VERSION
      ? []
      : [
          {
            ConditionCheck: {
              TableName: tableName,
              Key: keys.workflowVersion(tenantId, target),
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#retiredAt)',
              ExpressionAttributeNames: { '#retiredAt': workflowVersionAttributes.retiredAt },
            },
          },
        ]),
  ];
}

/**
 * The writes of one conditional order change: the order, its events, the idempotency record
 * and its companion writes, all in one transaction.
 */
function orderUpdateWrites(
  tableName: string,
  tenantId: string,
  current: OrderRecord,
  change: OrderChange,
): { items: TransactItem[]; written: OrderEvent[] } {
  const next = change.order;
  const written = numberedEvents(next, current.lastSequence + 1, change.events, change.at ?? next.updatedAt);
  const entry = change.enterStage ? current.entry + 1 : current.entry;
  const item = orderItem(tenantId, next, current.lastSequence + written.length, entry);
  const names: Record<string, string> = {
    '#version': orderAttributes.version,
    '#entry': orderAttributes.entry,
  };
  const values: Record<string, unknown> = { ':version': current.order.version, ':entry': current.entry };
  const actionResults = change.actionResults ?? (change.enterStage ? {} : undefined);
  const assignments = Object.entries({
    ...item,
    // The token alone: the stream rebuilds the signal's output from the order it is stored with.
    ...(change.signal ? { [orderAttributes.pendingSignal]: { token: change.signal.token } } : {}),
    ...(actionResults ? { [orderAttributes.actionResults]: actionResults } : {}),
    ...(change.attempt !== undefined
      ? {
          [orderAttributes.attempt]: change.attempt,
          ...owedStartAttributes(next.id, new Date().toISOString()),
        }
      : {}),
    ...(change.enterStage ? { [orderAttributes.stageEnteredAt]: next.updatedAt } : {}),
    [orderAttributes.halted]: change.halted ?? (change.enterStage ? false : current.halted),
  })
    .filter(([field]) => field !== 'pk' && field !== 'sk')
    .map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
  const removals = [
    // An order that stops having an email must leave the customer index.
    ...(item.gsi3pk ? [] : ['gsi3pk', 'gsi3sk']),
    // A new stage entry, or a signal sent with it, spends the wait's token: it may be
    // signalled once only (a re-checked wait stores a new one when it parks again).
    ...(change.enterStage || change.signal
      ? [orderAttributes.taskToken, orderAttributes.taskTokenStage]
      : []),
  ];
  // Every change must see the token the read saw: one planned without a token (so without a
  // re-check signal) must not commit after a wait parked in between, or that wait would rest
  // on a stale order that nobody signals.
  let tokenCondition: string;
  names['#token'] = orderAttributes.taskToken;
  if (current.taskToken === undefined) tokenCondition = ' AND attribute_not_exists(#token)';
  else {
    values[':token'] = current.taskToken;
    tokenCondition = ' AND #token = :token';
  }
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: keys.order(tenantId, next.id),
        UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
        // The version moves on with every change, so it alone proves nothing changed since the read;
        // the token condition above covers the wait, whose write does not move the version.
        ConditionExpression: `#order.#version = :version AND #entry = :entry${tokenCondition}`,
        ExpressionAttributeNames: { ...names, '#order': orderAttributes.order },
        ExpressionAttributeValues: values,
      },
    },
    ...written.map((event) => ({
      Put: {
        TableName: tableName,
        Item: eventItem(tenantId, event),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    ...(change.idempotency ? [idempotencyCompletion(tableName, tenantId, change.idempotency)] : []),
    ...pinMove(tableName, tenantId, current.order, next),
    ...(change.releasesWorkflowVersion ? pinDelete(tableName, tenantId, current.order) : []),
    ...(change.companions ?? []).flatMap((write) => companionItems(tableName, tenantId, write)),
  ];
  return { items, written };
}

export class DynamoOrderStore implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(
    tenantId: string,
    order: Order,
    events: NewEvent[],
    idempotency?: IdempotencyCompletion,
  ): Promise<OrderEvent[]> {
    const written = numberedEvents(order, 1, events, order.createdAt);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          // The first execution is owed from here until its start is recorded.
          Item: {
            ...orderItem(tenantId, order, written.length, 1),
            ...owedStartAttributes(order.id, new Date().toISOString()),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...written.map((event) => ({
        Put: {
          TableName: this.tableName,
          Item: eventItem(tenantId, event),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...(idempotency ? [idempotencyCompletion(this.tableName, tenantId, idempotency)] : []),
      ...pinPut(this.tableName, tenantId, order),
    ];
    await storeCall(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
    return written;
  }

  async get(tenantId: string, orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.order(tenantId, orderId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return undefined;
    return orderRecordOf(Item);
  }

  async update(tenantId: string, current: OrderRecord, change: OrderChange): Promise<OrderEvent[]> {
    const { items, written } = orderUpdateWrites(this.tableName, tenantId, current, change);
    await storeCall(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
    return written;
  }

  async recordStart(
    tenantId: string,
    orderId: string,
    attempt: number,
    executionArn: string,
  ): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.order(tenantId, orderId),
            UpdateExpression: 'SET #arn = :arn REMOVE #shard, #since',
            // The first attempt's number is not written until a second one replaces it.
            ConditionExpression:
              attempt === 0
                ? 'attribute_exists(pk) AND (attribute_not_exists(#attempt) OR #attempt = :attempt)'
                : '#attempt = :attempt',
            ExpressionAttributeNames: {
              '#arn': orderAttributes.executionArn,
              '#shard': orderAttributes.startOwedShard,
              '#since': orderAttributes.startOwedSince,
              '#attempt': orderAttributes.attempt,
            },
            ExpressionAttributeValues: { ':arn': executionArn, ':attempt': attempt },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async owedStarts(before: string, limit: number): Promise<OrderIdentity[]> {
    const found: OrderIdentity[] = [];
    for (let shard = 0; shard < OWED_START_SHARDS && found.length < limit; shard++) {
      let startKey: PageKey | undefined;
      do {
        const page = await storeCall(() =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'owedStarts' satisfies IndexName,
              KeyConditionExpression: '#shard = :shard AND #since < :before',
              ExpressionAttributeNames: {
                '#shard': orderAttributes.startOwedShard,
                '#since': orderAttributes.startOwedSince,
              },
              ExpressionAttributeValues: { ':shard': keys.owedStarts(shard), ':before': before },
              Limit: limit - found.length,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of page.Items ?? []) found.push(keys.orderOfPartition(item.pk as string));
        startKey = page.LastEvaluatedKey;
      } while (startKey && found.length < limit);
    }
    return found;
  }

  /**
   * Every order of every tenant, page by page. Only the local stack uses it, to resume
   * executions on start; on AWS executions outlive any process.
   */
  async *scanAll(): AsyncGenerator<{ tenantId: string; record: OrderRecord }> {
    let startKey: PageKey | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: '#entity = :order',
            ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
            ExpressionAttributeValues: { ':order': recordTypes.order },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        ),
      );
      for (const item of page.Items ?? [])
        yield { tenantId: item.tenantId as string, record: orderRecordOf(item) };
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async list(
    tenantId: string,
    query: {
      stage?: string;
      customerEmail?: string;
      createdAfter?: string;
      createdBefore?: string;
      limit: number;
    },
    after?: PageKey,
  ): Promise<{ orders: Order[]; lastKey?: PageKey }> {
    const [indexName, pkField, skField, partition] = query.customerEmail
      ? (['byCustomer', 'gsi3pk', 'gsi3sk', keys.ordersOfCustomer(tenantId, query.customerEmail)] as const)
      : query.stage
        ? (['byStage', 'gsi2pk', 'gsi2sk', keys.ordersInStage(tenantId, query.stage)] as const)
        : (['byTenant', 'gsi1pk', 'gsi1sk', keys.ordersOfTenant(tenantId)] as const);

    const names: Record<string, string> = { '#pk': pkField };
    const values: Record<string, unknown> = { ':pk': partition };
    let keyCondition = '#pk = :pk';
    // Sort keys are `<createdAt>#<id>`: '#' sorts before digits, '~' after everything used.
    const lower = query.createdAfter ? `${new Date(query.createdAfter).toISOString()}~` : undefined;
    const upper = query.createdBefore ? `${new Date(query.createdBefore).toISOString()}#` : undefined;
    // Both bounds are exclusive: the same instant twice is an empty range, not a bad query.
    if (lower && upper && lower > upper) return { orders: [] };
    if (lower || upper) names['#sk'] = skField;
    if (lower && upper) {
      keyCondition += ' AND #sk BETWEEN :lower AND :upper';
      Object.assign(values, { ':lower': lower, ':upper': upper });
    } else if (lower) {
      keyCondition += ' AND #sk > :lower';
      values[':lower'] = lower;
    } else if (upper) {
      keyCondition += ' AND #sk < :upper';
      values[':upper'] = upper;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: after,
    };
    const result = await storeCall(() => this.client.send(new QueryCommand(input)));
    const found = await this.getMany((result.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk })));
    // The customer index holds keys only, so a stage filter on it applies to the orders read;
    // like a FilterExpression, it may leave a page short while the cursor goes on.
    const orders =
      query.customerEmail && query.stage ? found.filter((order) => order.stage === query.stage) : found;
    return { orders, ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey } : {}) };
  }

  /** The orders at these keys, in the same order (the indexes carry keys, not orders). */
  private async getMany(orderKeys: { pk: unknown; sk: unknown }[]): Promise<Order[]> {
    const found = new Map<string, Order>();
    let pending: Record<string, unknown>[] = orderKeys;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(round, 5)));
      const result = await storeCall(() =>
        this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } })),
      );
      for (const item of result.Responses?.[this.tableName] ?? [])
        found.set(item.pk as string, item.order as Order);
      // DynamoDB may leave keys unprocessed under load; they are asked for again.
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return orderKeys.flatMap(({ pk }) => found.get(pk as string) ?? []);
  }

  async listEvents(
    tenantId: string,
    orderId: string,
    limit: number,
    afterSequence = 0,
  ): Promise<{ events: OrderEvent[]; hasMore: boolean }> {
    const { pk } = keys.order(tenantId, orderId);
    const result = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': pk,
            ':from': keys.orderEvent(tenantId, orderId, afterSequence + 1).sk,
            ':to': `${keys.orderEventPrefix}~`,
          },
          ConsistentRead: true,
          Limit: limit + 1,
        }),
      ),
    );
    const items = result.Items ?? [];
    return { events: items.slice(0, limit).map(eventOf), hasMore: items.length > limit };
  }
}
