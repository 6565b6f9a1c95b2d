export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  keyId: string;
  tenantId: string;
  role: string;
  /** SHA-256 of the key; the key itself is never stored. */
  hash: string;
  createdAt: string;
}

export interface TenantStore {
  createTenant(tenant: Tenant, firstKey: ApiKeyRecord): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  addKey(key: ApiKeyRecord): Promise<void>;
  /** Returns false when the tenant has no such key. */
  revokeKey(tenantId: string, keyId: string): Promise<boolean>;
  findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
}
