import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { keys, recordTypes } from '../shared/table.js';
import { lambdaContext } from './api-gateway.js';

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  tableName: string;
  /** Where checkpoints are kept: the same table. */
  documents: DynamoDBDocumentClient;
  /** The events function's handler, called exactly as Lambda's stream event source would. */
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined>;
  log: (line: string) => void;
  /** Pause between reads of a shard that had nothing new. */
  idleMs?: number;
}

interface Shard {
  id: string;
  parentId?: string;
  /** The last record handled: the resume point. */
  lastSequence?: string;
  iterator?: string;
  closed: boolean;
}

type LambdaImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

const RESCAN_SHARDS_MS = 5000;
const BACKOFF_MS = 1000;

type Image = Record<string, AttributeValue>;

/** DynamoDB Local writes an empty map as `{}` in stream records, where DynamoDB writes `{ M: {} }`. */
function repairValue(value: AttributeValue): AttributeValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairImage(value.M) };
  if (value.L) return { L: value.L.map(repairValue) };
  return value;
}

function repairImage(image: Image): Image {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairValue(value)]));
}

/** A stream record from GetRecords in the shape of a Lambda stream event record. */
function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, NewImage, OldImage, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(NewImage ? { NewImage: repairImage(NewImage) as LambdaImage } : {}),
      ...(OldImage ? { OldImage: repairImage(OldImage) as LambdaImage } : {}),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

const isCheckpoint = (record: StreamRecord) =>
  record.dynamodb?.NewImage?.entity?.S === recordTypes.streamCheckpoint;

/**
 * Reads DynamoDB Local's stream of the table into the events handler, as Lambda's event
 * source mapping does on AWS: shard by shard (a child only after its parent is finished),
 * batch by batch, retrying from a failed record. Each shard's last handled sequence number
 * is checkpointed in the table, so a restart resumes where it stopped: nothing is lost, and
 * nothing already handled is handed over again.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<{ stop(): Promise<void> }> {
  const { endpoint, region, tableName, documents, handler, log, idleMs = 100 } = options;
  const clientConfig = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2500 },
  };
  const tables = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
  tables.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${tableName} has no stream.`);

  const shards = new Map<string, Shard>();
  const checkpoints = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.streamCheckpoints(streamArn) },
      ConsistentRead: true,
    }),
  );
  for (const item of checkpoints.Items ?? []) {
    shards.set(item.sk, { id: item.sk, lastSequence: item.sequenceNumber, closed: item.closed === true });
  }

  async function discoverShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !shards.has(shard.ShardId)) {
          shards.set(shard.ShardId, { id: shard.ShardId, parentId: shard.ParentShardId, closed: false });
        }
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  async function checkpoint(shard: Shard): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.streamCheckpoint(streamArn as string, shard.id),
          entity: recordTypes.streamCheckpoint,
          sequenceNumber: shard.lastSequence,
          closed: shard.closed,
        },
      }),
    );
  }

  /** Reads one batch; answers whether it had records (then the next read follows at once). */
  async function readShard(shard: Shard): Promise<boolean> {
    if (!shard.iterator) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.id,
          ...(shard.lastSequence
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      shard.iterator = ShardIterator;
    }
    let output: GetRecordsCommandOutput;
    try {
      output = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        return true;
      }
      throw error;
    }
    const records = output.Records ?? [];
    if (records.length > 0) {
      const event = { Records: records.map((record) => toLambdaRecord(record, streamArn as string)) };
      const response = await handler(event, lambdaContext('orderflow-events', randomUUID()));
      const failedId = response?.batchItemFailures[0]?.itemIdentifier;
      const failedAt =
        failedId === undefined ? -1 : records.findIndex((r) => r.dynamodb?.SequenceNumber === failedId);
      const handled = failedAt === -1 ? records : records.slice(0, failedAt);
      const last = handled.at(-1)?.dynamodb?.SequenceNumber;
      if (last) {
        shard.lastSequence = last;
        // Writing a checkpoint adds a record to the stream; a batch of nothing but those is
        // not worth another checkpoint (re-reading it after a restart changes nothing).
        if (!handled.every(isCheckpoint)) await checkpoint(shard);
      }
      if (failedAt !== -1) {
        shard.iterator = undefined;
        throw new Error(`the events handler failed at stream record ${failedId}; retrying from there`);
      }
    }
    shard.iterator = output.NextShardIterator;
    if (!shard.iterator) {
      shard.closed = true;
      await checkpoint(shard);
    }
    return records.length > 0;
  }

  const readable = () =>
    [...shards.values()].filter(
      (shard) => !shard.closed && (!shard.parentId || shards.get(shard.parentId)?.closed !== false),
    );

  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    let rescanAt = 0;
    let lastError = '';
    while (!stopped) {
      try {
        if (Date.now() >= rescanAt) {
          await discoverShards();
          rescanAt = Date.now() + RESCAN_SHARDS_MS;
        }
        let busy = false;
        for (const shard of readable()) busy = (await readShard(shard)) || busy;
        lastError = '';
        if (!busy) await pause(idleMs);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError && !stopped) log(`stream poller: ${message}`);
        lastError = message;
        await pause(BACKOFF_MS);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      streams.destroy();
    },
  };
}
