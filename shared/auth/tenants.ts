import { newId } from '../ids.js';
import { problems } from '../problem.js';
import { newApiKey } from './api-keys.js';
import type { TenantStore } from './tenant-store.js';

/** The role of a tenant's first key and of keys issued without one. */
export const DEFAULT_ROLE = 'staff';

/** Tenants and their API keys. Keys are answered once and stored only as hashes. */
export class TenantService {
  constructor(
    private readonly store: TenantStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createTenant(name: string, tenantId?: string) {
    const now = this.clock();
    const id = tenantId ?? newId('ten', now.getTime());
    const { apiKey, record } = newApiKey(id, DEFAULT_ROLE, now);
    await this.store.createTenant({ tenantId: id, name, createdAt: now.toISOString() }, record);
    return { tenantId: id, name, apiKey, keyId: record.keyId };
  }

  async issueKey(tenantId: string, role: string) {
    if (!(await this.store.getTenant(tenantId))) throw problems.notFound(`Tenant ${tenantId}`);
    const { apiKey, record } = newApiKey(tenantId, role, this.clock());
    await this.store.addKey(record);
    return { keyId: record.keyId, apiKey, role };
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeKey(tenantId, keyId)))
      throw problems.notFound(`Key ${keyId} of tenant ${tenantId}`);
  }
}
