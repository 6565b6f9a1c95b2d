import type { PageKey } from '../orders/order-store.js';
import type { ScopeGrant } from './scopes.js';

export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  keyId: string;
  tenantId: string;
  role: string;
  scopes: ScopeGrant[];
  name?: string;
  /** SHA-256 of the key; the key itself is never stored. */
  hash: string;
  createdAt: string;
  /** Coarse: written at most once a minute per key. */
  lastUsedAt?: string;
}

export interface TenantStore {
  createTenant(tenant: Tenant, firstKey: ApiKeyRecord): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  addKey(key: ApiKeyRecord): Promise<void>;
  getKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  listKeys(
    tenantId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ keys: ApiKeyRecord[]; lastKey?: PageKey }>;
  /** Returns false when the tenant has no such key. */
  revokeKey(tenantId: string, keyId: string): Promise<boolean>;
  findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Sets `lastUsedAt` unless it is already later than `notBefore` (so at most one write per interval). */
  recordKeyUse(tenantId: string, keyId: string, now: Date, notBefore: Date): Promise<void>;
}
