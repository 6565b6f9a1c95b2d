import type { Actor, ListOrdersQuery, Order, OrderEvent } from '../orders/schema.js';

export interface NewEvent {
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

/** The stored order with what the store keeps beside it. */
export interface OrderRecord {
  order: Order;
  /** Sequence number of the order's latest history event (gap-free from 1). */
  lastSequence: number;
}

/** Written in the same transaction as the change, so a retried POST replays exactly this response. */
export interface IdempotencyCompletion {
  key: string;
  owner: string;
  response: StoredResponse;
}

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type PageKey = Record<string, unknown>;

export interface OrderStore {
  /** Creates the order with its events in one transaction. */
  create(
    tenantId: string,
    order: Order,
    events: NewEvent[],
    idempotency?: IdempotencyCompletion,
  ): Promise<OrderEvent[]>;
  get(tenantId: string, orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Replaces the order if it is still at `expected.version` (and, when given, in
   * `expected.stage`) and appends its events, all in one transaction; otherwise ConflictError.
   */
  update(
    tenantId: string,
    next: Order,
    expected: { version: number; lastSequence: number; stage?: string },
    events: NewEvent[],
    idempotency?: IdempotencyCompletion,
  ): Promise<OrderEvent[]>;
  list(
    tenantId: string,
    query: Omit<ListOrdersQuery, 'cursor'>,
    after?: PageKey,
  ): Promise<{ orders: Order[]; lastKey?: PageKey }>;
  listEvents(
    tenantId: string,
    orderId: string,
    limit: number,
    afterSequence?: number,
  ): Promise<{ events: OrderEvent[]; hasMore: boolean }>;
}
