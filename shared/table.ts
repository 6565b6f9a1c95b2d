/**
 * The one DynamoDB table: its keys, indexes and stream. The CDK stack and the local
 * stack both build the table from this definition, so they cannot drift apart.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items whose `expiresAt` (epoch seconds) has passed are removed by DynamoDB TTL. */
  ttlAttribute: 'expiresAt',
  /** The events function needs the new image of each history event item. */
  streamView: 'NEW_AND_OLD_IMAGES',
  /**
   * The indexes carry keys only: an order write that leaves an index's keys alone costs no
   * write to that index (a stage change writes the byStage index only), and listing reads the
   * orders themselves by key.
   */
  indexProjection: 'KEYS_ONLY',
  globalSecondaryIndexes: [
    /** Orders of a tenant by creation time (newest first when read backwards). */
    { indexName: 'byTenant', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Orders of a tenant in one stage, by creation time. */
    { indexName: 'byStage', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Orders of a tenant for one customer email, by creation time. */
    { indexName: 'byCustomer', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Orders whose next execution is owed but not known to have started, by since when, across
     * tenants. Sparse: an order is in it only between the write that owes the start and the
     * write that records the started execution's ARN, so the sweep reads a handful of keys.
     */
    { indexName: 'owedStarts', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/**
 * What an item is: every item carries its type in `entity`. The stream filter, the events
 * function and the local runtime tell history events and orders apart by it.
 */
export const ENTITY_ATTRIBUTE = 'entity';
export const recordTypes = {
  order: 'order',
  event: 'event',
  idempotency: 'idempotency',
  tenant: 'tenant',
  tenantKey: 'tenantKey',
  apiKey: 'apiKey',
  workflowVersion: 'workflowVersion',
  activeWorkflow: 'activeWorkflow',
  inventory: 'inventory',
  reservation: 'reservation',
  webhook: 'webhook',
  delivery: 'delivery',
  queuedDelivery: 'queuedDelivery',
  purchaseOrder: 'purchaseOrder',
  laborTask: 'laborTask',
  orderChange: 'orderChange',
  streamCheckpoint: 'streamCheckpoint',
  attachment: 'attachment',
  notificationRecipients: 'notificationRecipients',
  emailSend: 'emailSend',
} as const;

/**
 * The order item's attributes beside the order itself. The compiled wait state writes the
 * token ones and reads `stage` and the order's `version` (shared/workflow/compile.ts), so their
 * names are part of the contract between the table and the state machines.
 */
export const orderAttributes = {
  order: 'order',
  /** Inside `order`: moves on with every change, so a conditional write on it proves nothing changed. */
  version: 'version',
  /** Top-level copy of the order's stage, for the wait's condition expression. */
  stage: 'stage',
  tenantId: 'tenantId',
  lastSequence: 'lastSequence',
  entry: 'entry',
  stageEnteredAt: 'stageEnteredAt',
  actionResults: 'actionResults',
  attempt: 'attempt',
  halted: 'halted',
  /** Written by the manual-transition wait. */
  taskToken: 'taskToken',
  taskTokenStage: 'taskTokenStage',
  /**
   * The ARN StartExecution answered for the order's latest started execution (recorded after
   * the start), which StopExecution and DescribeExecution take.
   */
  executionArn: 'executionArn',
  /**
   * Set by the write that owes the order a new execution (its creation, a retry, a migration,
   * a resume), removed by the write that records the started execution: the `owedStarts`
   * index's keys. The shard spreads the index's writes; the sort key is since when it is owed.
   */
  startOwedShard: 'gsi4pk',
  startOwedSince: 'gsi4sk',
  /**
   * The signal a change owes the waiting execution, stored with the change (its `token`). The
   * next wait's own write removes it: by then the signal it held has been delivered.
   */
  pendingSignal: 'pendingSignal',
} as const;

const TENANT_PREFIX = 'T#';
const ORDER_INFIX = '#O#';
const ORDER_SORT_KEY = 'ORDER';
/** Partitions of the owed-starts index: each takes its share of the starts' index writes. */
export const OWED_START_SHARDS = 4;

/**
 * Key layout. Every tenant-owned key starts with `T#<tenantId>#` so that a key built
 * from one tenant's request can never address another tenant's item.
 */
export const keys = {
  order: (tenantId: string, orderId: string) => ({
    pk: `${TENANT_PREFIX}${tenantId}${ORDER_INFIX}${orderId}`,
    sk: ORDER_SORT_KEY,
  }),
  orderEvent: (tenantId: string, orderId: string, sequence: number) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `EVT#${String(sequence).padStart(10, '0')}`,
  }),
  orderEventPrefix: 'EVT#',
  ordersOfTenant: (tenantId: string) => `T#${tenantId}#ORDERS`,
  ordersInStage: (tenantId: string, stage: string) => `T#${tenantId}#STAGE#${stage}`,
  ordersOfCustomer: (tenantId: string, email: string) => `T#${tenantId}#EMAIL#${email.toLowerCase()}`,
  /** One partition of the owed-starts index; an order's shard follows from its id. */
  owedStarts: (shard: number) => `STARTS#${shard}`,
  owedStartShardOf: (orderId: string) => {
    let hash = 0;
    for (const char of orderId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return hash % OWED_START_SHARDS;
  },
  /** The tenant and order an order item's partition key names (the indexes project keys only). */
  orderOfPartition: (pk: string) => {
    const infix = pk.lastIndexOf(ORDER_INFIX);
    if (!pk.startsWith(TENANT_PREFIX) || infix < 0) throw new Error(`${pk} is no order's partition key.`);
    return { tenantId: pk.slice(TENANT_PREFIX.length, infix), orderId: pk.slice(infix + ORDER_INFIX.length) };
  },
  idempotency: (tenantId: string, key: string) => ({ pk: `T#${tenantId}#IDEM#${key}`, sk: 'IDEM' }),
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' }),
  tenantKey: (tenantId: string, keyId: string) => ({ pk: `TENANT#${tenantId}`, sk: `KEY#${keyId}` }),
  apiKeyByHash: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }),
  /** Never written: `/health` reads it to learn whether the table answers. */
  healthProbe: { pk: 'HEALTH', sk: 'PROBE' },
  workflowVersion: (tenantId: string, version: number) => ({
    pk: `T#${tenantId}#WF`,
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  activeWorkflow: (tenantId: string) => ({ pk: `T#${tenantId}#WF`, sk: 'ACTIVE' }),
  inventory: (tenantId: string, sku: string) => ({ pk: `T#${tenantId}#SKU#${sku}`, sk: 'SKU' }),
  /** A tenant's webhook subscriptions share one partition, so fan-out reads them with one query. */
  webhook: (tenantId: string, webhookId: string) => ({ pk: `T#${tenantId}#WH`, sk: `WH#${webhookId}` }),
  webhookPrefix: 'WH#',
  /** A subscription's deliveries, by id (ids sort by time, so a backwards query is newest first). */
  delivery: (tenantId: string, webhookId: string, deliveryId: string) => ({
    pk: `T#${tenantId}#WH#${webhookId}#DLV`,
    sk: `DLV#${deliveryId}`,
  }),
  deliveryPrefix: 'DLV#',
  /** The local delivery queue: one item per delivery waiting to be attempted (survives a restart). */
  queuedDelivery: (tenantId: string, webhookId: string, deliveryId: string) => ({
    pk: 'LOCALQ#DELIVERIES',
    sk: `T#${tenantId}#WH#${webhookId}#DLV#${deliveryId}`,
  }),
  queuedDeliveries: 'LOCALQ#DELIVERIES',
  /** How far the local stream poller has read each shard of a stream. */
  streamCheckpoint: (streamArn: string, shardId: string) => ({ pk: `STREAM#${streamArn}`, sk: shardId }),
  streamCheckpoints: (streamArn: string) => `STREAM#${streamArn}`,
  /**
   * What stage actions create for an order lives in the order's partition. The stage entry is
   * zero-padded so a backwards query lists the newest entry's records first.
   */
  reservation: (tenantId: string, orderId: string, sku: string) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `RES#${sku}`,
  }),
  reservationPrefix: 'RES#',
  /**
   * One purchase order per (stage entry, action, supplier); an empty supplier segment means none.
   * One raised for an applied change's new shortfall carries the change id after the action's.
   */
  purchaseOrder: (
    tenantId: string,
    orderId: string,
    entry: number,
    actionId: string,
    supplier: string | null,
    changeId?: string,
  ) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `PO#${String(entry).padStart(10, '0')}#${actionId}${changeId ? `+${changeId}` : ''}#${supplier ?? ''}`,
  }),
  purchaseOrderPrefix: 'PO#',
  laborTask: (tenantId: string, orderId: string, entry: number, actionId: string) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `TASK#${String(entry).padStart(10, '0')}#${actionId}`,
  }),
  laborTaskPrefix: 'TASK#',
  /** Changes proposed after confirmation, by id (time-sortable, so a backwards query is newest first). */
  orderChange: (tenantId: string, orderId: string, changeId: string) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `CHG#${changeId}`,
  }),
  orderChangePrefix: 'CHG#',
  /** An order's uploaded files (their objects live in the attachments bucket). */
  attachment: (tenantId: string, orderId: string, attachmentId: string) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `ATT#${attachmentId}`,
  }),
  attachmentPrefix: 'ATT#',
  /** Who the tenant's `email` actions reach for each `role:<role>` recipient. */
  notificationRecipients: (tenantId: string) => ({ pk: `T#${tenantId}#NOTIFY`, sk: 'RECIPIENTS' }),
  /** Claimed before an `email` action sends, so a retried Task never sends it twice. */
  emailSend: (tenantId: string, orderId: string, entry: number, actionId: string) => ({
    pk: `T#${tenantId}#O#${orderId}`,
    sk: `EMAIL#${String(entry).padStart(10, '0')}#${actionId}`,
  }),
} as const;

/**
 * The order item's key as a state machine writes it: the same template as `keys.order`, in
 * intrinsic functions over the execution state's `tenantId` and `orderId`.
 */
export const aslOrderKey = {
  pk: { 'S.$': `States.Format('${TENANT_PREFIX}{}${ORDER_INFIX}{}', $.tenantId, $.orderId)` },
  sk: { S: ORDER_SORT_KEY },
} as const;

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * Which stream records invoke the events function: inserted history events, and orders written
 * carrying a stored signal. CDK turns this into the event source's filter criteria; the local
 * stream poller applies it with `passesStreamFilter`, so both invoke the function for the same
 * records.
 */
export const streamFilters: readonly {
  eventNames: readonly StreamEventName[];
  recordType: string;
  /** A map attribute of the new image and the string field it must have. */
  requires?: { attribute: string; field: string };
}[] = [
  { eventNames: ['INSERT'], recordType: recordTypes.event },
  {
    eventNames: ['INSERT', 'MODIFY'],
    recordType: recordTypes.order,
    requires: { attribute: orderAttributes.pendingSignal, field: 'token' },
  },
];

/** A stream record in DynamoDB's attribute-value form (the Lambda event's and the Streams API's). */
export interface StreamRecordImages {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, StreamAttributeValue> };
}
type StreamAttributeValue = { S?: string; M?: Record<string, StreamAttributeValue> } & Record<
  string,
  unknown
>;

export function passesStreamFilter(record: StreamRecordImages): boolean {
  const image = record.dynamodb?.NewImage;
  return streamFilters.some(
    (filter) =>
      (filter.eventNames as readonly string[]).includes(record.eventName ?? '') &&
      image?.[ENTITY_ATTRIBUTE]?.S === filter.recordType &&
      (!filter.requires || image[filter.requires.attribute]?.M?.[filter.requires.field]?.S !== undefined),
  );
}
