import type { StoredResponse } from '../orders/order-store.js';

export interface IdempotencyRecord {
  requestHash: string;
  state: 'pending' | 'done';
  owner: string;
  response?: StoredResponse;
}

/**
 * Remembers POST responses by Idempotency-Key. A key is claimed by one request at a time
 * (a lease, so a crashed request does not block the key forever) and then completed with
 * the response that every retry replays.
 */
export interface IdempotencyStore {
  /** Claims the key, or returns the record that holds it. */
  claim(
    tenantId: string,
    key: string,
    requestHash: string,
    owner: string,
    now: Date,
  ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }>;
  get(tenantId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the response unless the handler already did so in its own transaction. */
  complete(tenantId: string, key: string, owner: string, response: StoredResponse, now: Date): Promise<void>;
  /** Gives the key up after a failure that should not be replayed (a 5xx). */
  release(tenantId: string, key: string, owner: string): Promise<void>;
}

/** How long a claim holds before another request may take the key over. */
export const IDEMPOTENCY_LEASE_MS = 30_000;
/** How long keys are remembered: the contract says at least 24 hours. */
export const IDEMPOTENCY_RETENTION_S = 48 * 3600;
