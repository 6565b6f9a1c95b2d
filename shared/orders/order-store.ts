import type { InventoryRestock, ReservationAdjustment } from '../actions/inventory-store.js';
import type { PurchaseOrderRaise } from '../actions/purchase-order-store.js';
import type { ChangeRecordWrite } from '../changes/change-store.js';
import type { NewEvent } from '../events/catalog.js';
import type { ExecutionState } from '../workflow/task-payloads.js';
import type { ListOrdersQuery, Order, OrderEvent } from './schema.js';

/** A signal owed to the order's execution: the wait's token and the execution's next state. */
export interface PendingSignal {
  token: string;
  output: ExecutionState;
}

/** The stored order with what the store keeps beside it. */
export interface OrderRecord {
  order: Order;
  /** Sequence number of the order's latest history event (gap-free from 1). */
  lastSequence: number;
  /** Counts the order's stage entries, so stage actions are idempotent per entry. */
  entry: number;
  /** When the order entered its current stage (stage timeouts count from here). */
  stageEnteredAt: string;
  /** Written by the execution while it waits in `taskTokenStage` for a manual transition. */
  taskToken?: string;
  taskTokenStage?: string;
  /** What the current stage entry's actions did, by action id. */
  actionResults: Record<string, ActionResult>;
  /** Counts the order's executions: 0 for the first, then retries and migrations. */
  attempt: number;
  /** The ARN StartExecution answered for the latest started execution (it may be an earlier attempt's). */
  executionArn?: string;
  /**
   * Set while the order's execution of `attempt` is owed: written with the change that needs it
   * (creation, retry, migration, resume), cleared once its start is recorded. A start that a
   * crash or a failed StartExecution left undone is found by it (stranded.ts).
   */
  startOwedSince?: string;
  /** The execution stopped on a failed action (`onError: "fail"`); a retry or a transition restarts it. */
  halted: boolean;
}

export interface ActionResult {
  entry: number;
  status: 'succeeded' | 'failed';
  error?: string;
}

/** One conditional change of an order: it applies only if the order is still as it was read. */
export interface OrderChange {
  order: Order;
  events: NewEvent[];
  /** The order enters a (new) stage: the entry counter moves on and the wait's token is spent. */
  enterStage?: boolean;
  /**
   * Delivered after the change commits. Its token is stored with the change (the output is the
   * changed order's execution state, so the stream re-sends it from the order itself); the next
   * wait's write removes it. It spends the wait's stored token, so no later change signals the
   * same wait again.
   */
  signal?: PendingSignal;
  /** Replaces the action results (a new stage entry starts with none). */
  actionResults?: Record<string, ActionResult>;
  /** A new execution takes over the order: its start is owed from this change on (see `startOwedSince`). */
  attempt?: number;
  /** Marks (or clears) the order's execution as stopped on a failed action. */
  halted?: boolean;
  idempotency?: IdempotencyCompletion;
  /**
   * When the events happened; by default the order's updatedAt. A change that leaves the order
   * as it was (a change proposed or rejected) names its own time.
   */
  at?: string;
  /**
   * Writes to records beside the order that commit in the same transaction or not at all,
   * each under its own condition (a reservation still holding what was read, a change still
   * proposed, a purchase order not raised yet).
   */
  companions?: CompanionWrite[];
}

/** A write to another record that commits with an order change; each area declares its own. */
export type CompanionWrite =
  | ReservationAdjustment
  | InventoryRestock
  | PurchaseOrderRaise
  | ChangeRecordWrite;

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
   * Replaces the order if it is still at the version, stage and entry it had when `current`
   * was read, and appends the change's events, all in one transaction; otherwise ConflictError.
   */
  update(tenantId: string, current: OrderRecord, change: OrderChange): Promise<OrderEvent[]>;
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
  /**
   * Records the ARN of the order's started execution of `attempt` and clears the owed start;
   * false (and nothing written) when the order has moved on to another attempt or is gone.
   */
  recordStart(tenantId: string, orderId: string, attempt: number, executionArn: string): Promise<boolean>;
  /** Orders of every tenant whose owed start is older than `before` (an ISO time), oldest first per shard. */
  owedStarts(before: string, limit: number): Promise<OrderIdentity[]>;
}

export interface OrderIdentity {
  tenantId: string;
  orderId: string;
}
