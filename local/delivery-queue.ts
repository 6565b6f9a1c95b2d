import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { storeCall } from '../shared/adapters/dynamodb/client.js';
import { ConflictError } from '../shared/errors.js';
import { keys, recordTypes } from '../shared/table.js';
import type { DeliveryMessage, DeliveryQueue } from '../shared/webhooks/delivery-queue.js';

export interface LocalDeliveryQueueOptions {
  /** Attempts in flight per subscription: a slow endpoint only ever holds its own slots. */
  perEndpoint?: number;
  /** Attempts in flight altogether. */
  total?: number;
  /** Like SQS's visibility timeout: a message whose handling threw is offered again after this. */
  retryFailedAfterMs?: number;
  log?: (line: string) => void;
}

interface Entry {
  key: string;
  message: DeliveryMessage;
  dueAt: number;
  /** Identifies this send, so finishing an older copy never removes a newer one. */
  token: string;
  order: number;
  running: boolean;
}

type Consumer = (message: DeliveryMessage) => Promise<void>;

const keyOf = ({ tenantId, webhookId, deliveryId }: DeliveryMessage) =>
  keys.queuedDelivery(tenantId, webhookId, deliveryId);

/**
 * The local stand-in for the SQS delivery queue. Every queued message is an item in the
 * table (one per delivery), so pending deliveries survive a restart and are picked up on
 * start; timers only decide when to look. Lanes per subscription bound concurrency per
 * endpoint, and deliveries of one order to one endpoint go one at a time, in queue order.
 */
export class LocalDeliveryQueue implements DeliveryQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlightPerEndpoint = new Map<string, number>();
  private readonly busyGroups = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private consumer?: Consumer;
  private timer?: NodeJS.Timeout;
  private sent = 0;
  private stopped = false;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: LocalDeliveryQueueOptions = {},
  ) {}

  async send(message: DeliveryMessage, notBefore?: Date): Promise<void> {
    const key = keyOf(message);
    const entry: Entry = {
      key: key.sk,
      message,
      dueAt: notBefore?.getTime() ?? Date.now(),
      token: randomUUID(),
      order: this.sent++,
      running: false,
    };
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity: recordTypes.queuedDelivery,
            message,
            dueAt: entry.dueAt,
            token: entry.token,
          },
        }),
      ),
    );
    this.entries.set(entry.key, entry);
    this.pump();
  }

  async deadLetter(message: DeliveryMessage, reason: string): Promise<void> {
    this.options.log?.(
      `webhook delivery ${message.deliveryId} to ${message.webhookId} failed its last attempt: ${reason}`,
    );
  }

  /** Loads what was queued before a restart and starts handing messages to `consumer`. */
  async start(consumer: Consumer): Promise<void> {
    let after: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.queuedDeliveries },
            ExclusiveStartKey: after,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        this.entries.set(item.sk as string, {
          key: item.sk as string,
          message: item.message as DeliveryMessage,
          dueAt: item.dueAt as number,
          token: item.token as string,
          order: this.sent++,
          running: false,
        });
      }
      after = page.LastEvaluatedKey;
    } while (after);
    this.consumer = consumer;
    this.pump();
  }

  /** Stops taking messages and waits for the attempts in flight; queued ones stay in the table. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    if (this.stopped || !this.consumer) return;
    clearTimeout(this.timer);
    const now = Date.now();
    const { perEndpoint = 4, total = 64 } = this.options;
    const waiting = [...this.entries.values()].filter((entry) => !entry.running);
    const due = waiting
      .filter((entry) => entry.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt || a.order - b.order);
    for (const entry of due) {
      if (this.inFlight.size >= total) break;
      const { webhookId, orderId } = entry.message;
      const group = `${webhookId}/${orderId}`;
      if ((this.inFlightPerEndpoint.get(webhookId) ?? 0) >= perEndpoint || this.busyGroups.has(group))
        continue;
      this.run(entry, group);
    }
    const later = waiting.filter((entry) => entry.dueAt > now).map((entry) => entry.dueAt);
    if (later.length > 0) this.timer = setTimeout(() => this.pump(), Math.min(...later) - now);
  }

  private run(entry: Entry, group: string): void {
    const { webhookId } = entry.message;
    entry.running = true;
    this.busyGroups.add(group);
    this.inFlightPerEndpoint.set(webhookId, (this.inFlightPerEndpoint.get(webhookId) ?? 0) + 1);
    const consumer = this.consumer as Consumer;
    const task = (async () => {
      try {
        await consumer(entry.message);
        await this.acknowledge(entry);
      } catch (error) {
        entry.running = false;
        entry.dueAt = Date.now() + (this.options.retryFailedAfterMs ?? 5000);
        if (!this.stopped) {
          this.options.log?.(
            `webhook delivery ${entry.message.deliveryId} will be retried: ${String(error)}`,
          );
        }
      }
    })();
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      this.busyGroups.delete(group);
      this.inFlightPerEndpoint.set(webhookId, (this.inFlightPerEndpoint.get(webhookId) ?? 1) - 1);
      this.pump();
    });
  }

  /** Removes the message unless it was sent again while it was being handled. */
  private async acknowledge(entry: Entry): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: keys.queuedDeliveries, sk: entry.key },
            ConditionExpression: '#token = :token',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: { ':token': entry.token },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }
}
