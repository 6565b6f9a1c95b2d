import { newId } from '../ids.js';
import type { PageKey } from '../orders/order-store.js';
import { problems } from '../problem.js';
import { type KeyGrant, newApiKey, type Principal } from './api-keys.js';
import { DEFAULT_ROLE, OWNER_ROLE } from './role.js';
import { grantsBeyond, OWNER_SCOPES } from './scopes.js';
import type { ApiKeyRecord, TenantStore } from './tenant-store.js';

/** Tenants and their API keys. Keys are answered once and stored only as hashes. */
export class TenantService {
  constructor(
    private readonly store: TenantStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createTenant(name: string, tenantId?: string) {
    const now = this.clock();
    const id = tenantId ?? newId('ten', now.getTime());
    const { apiKey, record } = newApiKey(id, { role: OWNER_ROLE, scopes: [...OWNER_SCOPES] }, now);
    await this.store.createTenant({ tenantId: id, name, createdAt: now.toISOString() }, record);
    return { tenantId: id, name, ...issued(apiKey, record) };
  }

  async issueKey(tenantId: string, grant: KeyGrant) {
    if (!(await this.store.getTenant(tenantId))) throw problems.notFound(`Tenant ${tenantId}`);
    return this.addKey(tenantId, grant);
  }

  /** A tenant key issuing another key of its tenant: never with more than it holds itself. */
  async issueOwnKey(issuer: Principal, grant: KeyGrant) {
    const beyond = grantsBeyond(issuer.scopes, grant.scopes);
    if (beyond.length > 0) {
      throw problems.forbidden(`A key cannot grant scopes it does not hold: ${beyond.join(', ')}.`);
    }
    if (!mayAssignRole(issuer, grant.role)) {
      throw problems.forbidden(
        `Only a key holding "*" may issue keys with role "${grant.role}"; this key may issue "${issuer.role}" or "${DEFAULT_ROLE}".`,
      );
    }
    return this.addKey(issuer.tenantId, grant);
  }

  async listKeys(tenantId: string, limit: number, after?: PageKey) {
    const { keys, lastKey } = await this.store.listKeys(tenantId, limit, after);
    return { keys: keys.map(summary), ...(lastKey ? { lastKey } : {}) };
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeKey(tenantId, keyId)))
      throw problems.notFound(`Key ${keyId} of tenant ${tenantId}`);
  }

  /** A tenant key revoking a key of its tenant: only one whose powers it holds itself. */
  async revokeOwnKey(revoker: Principal, keyId: string): Promise<void> {
    const target = await this.store.getKey(revoker.tenantId, keyId);
    if (!target) throw problems.notFound(`Key ${keyId}`);
    if (grantsBeyond(revoker.scopes, target.scopes).length > 0 || !mayAssignRole(revoker, target.role)) {
      throw problems.forbidden('A key cannot revoke a key with scopes or a role it could not grant.');
    }
    await this.revokeKey(revoker.tenantId, keyId);
  }

  private async addKey(tenantId: string, grant: KeyGrant) {
    const { apiKey, record } = newApiKey(tenantId, grant, this.clock());
    await this.store.addKey(record);
    return issued(apiKey, record);
  }
}

/** Roles gate transitions, so a key that does not hold everything hands out only its own role or the default. */
function mayAssignRole(issuer: Principal, role: string): boolean {
  return issuer.scopes.includes('*') || role === issuer.role || role === DEFAULT_ROLE;
}

function issued(apiKey: string, record: ApiKeyRecord) {
  return {
    keyId: record.keyId,
    apiKey,
    role: record.role,
    scopes: record.scopes,
    ...(record.name === undefined ? {} : { name: record.name }),
  };
}

function summary(record: ApiKeyRecord) {
  const { keyId, name, role, scopes, createdAt, lastUsedAt } = record;
  return {
    keyId,
    ...(name === undefined ? {} : { name }),
    role,
    scopes,
    createdAt,
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  };
}
