/**
 * The replay ceiling: the DynamoDB requests a measured run made, sent again raw, as fast as
 * DynamoDB Local answers them, at the run's concurrency. What that takes is the physical
 * limit of this design's data access on this machine; the rest of a lifecycle's time is the
 * stack's own (HTTP, SDK, interpreter).
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { RecordedRequest } from '../shared/adapters/dynamodb/client.js';
import { ensureTable } from '../shared/adapters/dynamodb/create-table.js';

/** Order ids as `newId('ord')` makes them. */
const ORDER_ID = /ord_[0-9A-HJKMNP-TV-Z]{26}/;

/** Idempotency keys as the bench makes them (`randomUUID`). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/**
 * The recorded requests grouped per order, each group in the order they were sent. A request
 * naming no order but a key of `aliases` (an Idempotency-Key the bench sent for that order)
 * belongs to that order; one naming neither (a key lookup, a queue write) goes with the order
 * of the request before it.
 */
export function requestsPerOrder(
  requests: readonly RecordedRequest[],
  aliases: ReadonlyMap<string, string> = new Map(),
): RecordedRequest[][] {
  const groups = new Map<string, RecordedRequest[]>();
  let leading: RecordedRequest[] = [];
  let current: RecordedRequest[] | undefined;
  for (const request of requests) {
    const text = JSON.stringify(request.input);
    const alias = UUID.exec(text)?.[0];
    const id = ORDER_ID.exec(text)?.[0] ?? (alias ? aliases.get(alias) : undefined);
    if (id) {
      current = groups.get(id);
      if (!current) {
        current = leading;
        leading = [];
        groups.set(id, current);
      }
    }
    (current ?? leading).push(request);
  }
  return [...groups.values()];
}

/** The same request addressed to another table (top level, transactions and batches). */
export function retarget(value: unknown, tableName: string): unknown {
  if (Array.isArray(value)) return value.map((entry) => retarget(entry, tableName));
  // Binary attribute values (packed JSON) are data too.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => {
      if (key === 'TableName' && typeof entry === 'string') return [key, tableName];
      if (key === 'RequestItems' && entry && typeof entry === 'object') {
        return [key, Object.fromEntries(Object.values(entry).map((items) => [tableName, items]))];
      }
      // Attribute values are data, never addresses.
      if (key === 'Item' || key === 'Key' || key === 'ExpressionAttributeValues') return [key, entry];
      return [key, retarget(entry, tableName)];
    }),
  );
}

export interface ReplayResult {
  lifecycles: number;
  requests: number;
  seconds: number;
  lifecyclesPerSecond: number;
  /** Requests DynamoDB refused, by error name (a replay should have none). */
  errors: Record<string, number>;
}

type CommandClass = new (input: unknown) => Parameters<dynamodb.DynamoDBClient['send']>[0];

/**
 * Sends every group into a fresh table of the same shape, `concurrency` groups at a time,
 * each group's requests one after another as recorded.
 */
export async function replay(options: {
  endpoint: string;
  tableName: string;
  /** Sent first, one by one and not timed: what the lifecycles need to exist (tenant, stock). */
  setup: readonly RecordedRequest[];
  lifecycles: readonly RecordedRequest[][];
  concurrency: number;
}): Promise<ReplayResult> {
  const client = new dynamodb.DynamoDBClient({
    endpoint: options.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await ensureTable(client, options.tableName);
  const commands = dynamodb as unknown as Record<string, CommandClass>;
  const errors: Record<string, number> = {};
  for (const request of options.setup) {
    const Command = commands[request.command];
    if (Command) await client.send(new Command(retarget(request.input, options.tableName)));
  }
  let requests = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.lifecycles.length) {
        const group = options.lifecycles[next++] ?? [];
        for (const request of group) {
          const Command = commands[request.command];
          requests++;
          if (!Command) {
            errors[`unknown command ${request.command}`] =
              (errors[`unknown command ${request.command}`] ?? 0) + 1;
            continue;
          }
          try {
            await client.send(new Command(retarget(request.input, options.tableName)));
          } catch (error) {
            const name = (error as Error).name;
            errors[name] = (errors[name] ?? 0) + 1;
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return {
    lifecycles: options.lifecycles.length,
    requests,
    seconds,
    lifecyclesPerSecond: options.lifecycles.length / seconds,
    errors,
  };
}
