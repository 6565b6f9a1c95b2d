/**
 * The order item as the table holds it, and the one decoder of the table's stream records:
 * the DynamoDB adapter writes and reads order items with these, the events function (on AWS
 * and in the local runtime) decodes stream records with them.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod';
import type { OrderRecord, PendingSignal } from './orders/order-store.js';
import type { Order } from './orders/schema.js';
import { executionState } from './orders/transitions.js';
import {
  orderAttributes as a,
  ENTITY_ATTRIBUTE,
  keys,
  passesStreamFilter,
  recordTypes,
  type StreamRecordImages,
} from './table.js';
import type { CommittedEvent } from './webhooks/fan-out.js';

/** The order item: the order, its index keys and what the store keeps beside it. */
export function orderItem(tenantId: string, order: Order, lastSequence: number, entry: number) {
  const sortKey = `${order.createdAt}#${order.id}`;
  const email = order.customer?.email;
  return {
    ...keys.order(tenantId, order.id),
    gsi1pk: keys.ordersOfTenant(tenantId),
    gsi1sk: sortKey,
    gsi2pk: keys.ordersInStage(tenantId, order.stage),
    gsi2sk: sortKey,
    ...(email ? { gsi3pk: keys.ordersOfCustomer(tenantId, email), gsi3sk: sortKey } : {}),
    [ENTITY_ATTRIBUTE]: recordTypes.order,
    [a.tenantId]: tenantId,
    [a.stage]: order.stage,
    [a.lastSequence]: lastSequence,
    [a.entry]: entry,
    [a.order]: order,
  };
}

/** The attributes that put an order into the owed-starts index, since `since`. */
export function owedStartAttributes(orderId: string, since: string) {
  return {
    [a.startOwedShard]: keys.owedStarts(keys.owedStartShardOf(orderId)),
    [a.startOwedSince]: since,
  };
}

/** An order item as stored (read from the table or from its stream) as the record it holds. */
export function orderRecordOf(item: Record<string, unknown>): OrderRecord {
  const order = item[a.order] as Order;
  return {
    order,
    lastSequence: item[a.lastSequence] as number,
    entry: (item[a.entry] as number | undefined) ?? 1,
    ...(item[a.taskToken] ? { taskToken: item[a.taskToken] as string } : {}),
    ...(item[a.taskTokenStage] ? { taskTokenStage: item[a.taskTokenStage] as string } : {}),
    actionResults: (item[a.actionResults] as OrderRecord['actionResults'] | undefined) ?? {},
    attempt: (item[a.attempt] as number | undefined) ?? 0,
    ...(item[a.executionArn] ? { executionArn: item[a.executionArn] as string } : {}),
    ...(item[a.startOwedSince] ? { startOwedSince: item[a.startOwedSince] as string } : {}),
    halted: item[a.halted] === true,
    stageEnteredAt: (item[a.stageEnteredAt] as string | undefined) ?? order.createdAt,
  };
}

const HistoryEventItem = z.object({
  [ENTITY_ATTRIBUTE]: z.literal(recordTypes.event),
  id: z.string(),
  type: z.string(),
  tenantId: z.string(),
  orderId: z.string(),
  sequence: z.number().int().min(1),
  timestamp: z.string(),
});

type Image = Record<string, AttributeValue>;

/** What one stream record means to the service: a committed event, a signal owed, or nothing. */
export type DecodedStreamRecord =
  | { kind: 'event'; event: CommittedEvent }
  | { kind: 'signal'; signal: PendingSignal }
  | undefined;

function storedSignalOf(image: Image | undefined): Image | undefined {
  if (image?.[ENTITY_ATTRIBUTE]?.S !== recordTypes.order) return undefined;
  return image[a.pendingSignal]?.M;
}

export function decodeStreamRecord(record: DynamoDBRecord): DecodedStreamRecord {
  if (!passesStreamFilter(record as StreamRecordImages)) return undefined;
  const image = record.dynamodb?.NewImage as Image | undefined;
  if (!image) return undefined;
  if (image[ENTITY_ATTRIBUTE]?.S === recordTypes.event) {
    const parsed = HistoryEventItem.safeParse(unmarshall(image));
    if (!parsed.success) return undefined;
    const { [ENTITY_ATTRIBUTE]: _entity, ...event } = parsed.data;
    return { kind: 'event', event };
  }
  // A signal is owed by the change that stored it; later writes that still carry it are not.
  const token = storedSignalOf(image)?.token?.S;
  if (!token) return undefined;
  if (storedSignalOf(record.dynamodb?.OldImage as Image | undefined)?.token?.S === token) return undefined;
  // Numbers as the document client reads them: JS numbers, even beyond 2^53.
  const item = unmarshall(image, { wrapNumbers: (value: string) => Number(value) });
  // The record is the change that stored the signal, so its order is the state the signal carries.
  const { order, entry } = orderRecordOf(item);
  return {
    kind: 'signal',
    signal: { token, output: executionState(item[a.tenantId] as string, order, entry) },
  };
}
