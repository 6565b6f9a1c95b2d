import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StoreUnavailableError } from '../../errors.js';

export interface DynamoConfig {
  tableName: string;
  /** DynamoDB Local's URL; unset on AWS. */
  endpoint?: string;
  region?: string;
  /** Measurement only (benchmarks): sums the capacity every call consumed. Unset in production. */
  capacity?: CapacityCollector;
}

/** Sums `ConsumedCapacity` over every call of the clients it is attached to. */
export interface CapacityCollector {
  readUnits: number;
  writeUnits: number;
  /** Calls per command name, e.g. `PutItemCommand`. */
  calls: Record<string, number>;
  /** Capacity units (read and write) per command name. */
  units: Record<string, number>;
  /** While set, every request as sent (command name and marshalled input), in order: a bench replays them. */
  requests?: RecordedRequest[];
}

export interface RecordedRequest {
  command: string;
  input: Record<string, unknown>;
  /** How long it took, answer included. */
  ms?: number;
}

export function newCapacityCollector(): CapacityCollector {
  return { readUnits: 0, writeUnits: 0, calls: {}, units: {} };
}

type Consumed = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

/**
 * Attaches `collector` to a client: every request asks for `ReturnConsumedCapacity: 'TOTAL'`
 * and every response's `ConsumedCapacity` is added up. Off unless a collector is given.
 */
export function collectCapacity(client: DynamoDBClient, collector: CapacityCollector): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const command = context.commandName ?? 'unknown';
      collector.calls[command] = (collector.calls[command] ?? 0) + 1;
      if (!/^(DescribeTable|CreateTable|ListTables|DescribeTimeToLive|UpdateTimeToLive)/.test(command)) {
        input.ReturnConsumedCapacity = 'TOTAL';
      }
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
      const consumed = output.ConsumedCapacity;
      for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        collector.units[command] = (collector.units[command] ?? 0) + (entry.CapacityUnits ?? 0);
        const read = entry.ReadCapacityUnits;
        const write = entry.WriteCapacityUnits;
        if (read === undefined && write === undefined) {
          // Only the total: a read or a write by the command's kind.
          if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(command))
            collector.readUnits += entry.CapacityUnits ?? 0;
          else collector.writeUnits += entry.CapacityUnits ?? 0;
        } else {
          collector.readUnits += read ?? 0;
          collector.writeUnits += write ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'orderflowCapacityCollector' },
  );
  // By the build step a document client has marshalled the input: what is recorded is what is sent.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!collector.requests) return next(args);
      const request: RecordedRequest = {
        command: context.commandName ?? 'unknown',
        input: structuredClone(args.input as Record<string, unknown>),
      };
      collector.requests.push(request);
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        request.ms = performance.now() - started;
      }
    },
    { step: 'build', name: 'orderflowRequestRecorder' },
  );
}

/**
 * A document client that fails fast: an unreachable database must become a quick 503,
 * not a request that hangs until the Lambda or the client times out.
 */
export function createDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(config.endpoint
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2500, throwOnRequestTimeout: true },
  });
  if (config.capacity) collectCapacity(client, config.capacity);
  return DynamoDBDocumentClient.from(client, {
    // Numbers beyond 2^53 (a workflow condition's 1e21) are stored as the exact JS value they are,
    // and read back as JS numbers, not BigInts that JSON cannot hold.
    // The marshaller tells maps from class instances by `value.constructor.name`: a plain
    // object with a key named `constructor` (order metadata may have one) is still a map.
    marshallOptions: {
      removeUndefinedValues: true,
      allowImpreciseNumbers: true,
      convertClassInstanceToMap: true,
    },
    unmarshallOptions: { wrapNumbers: (value: string) => Number(value) },
  });
}

const UNAVAILABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ServiceUnavailable',
  'InternalServerError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return (
    UNAVAILABLE.has(error.name) ||
    (code !== undefined && UNAVAILABLE.has(code)) ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 503 ||
    /socket hang up|connect ECONNREFUSED|timed out/i.test(error.message)
  );
}

/** True when a write lost its condition (directly or inside a transaction). */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
  }
  return false;
}

/** Another transaction was writing the same item at the same moment. */
function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TransactionConflictException') return true;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    error.name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'TransactionConflict')
  );
}

/** Runs a store call, translating AWS errors into the store's own errors. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError();
    if (isTransactionConflict(error)) throw new ConflictError();
    if (isUnavailable(error)) throw new StoreUnavailableError(error);
    throw error;
  }
}
