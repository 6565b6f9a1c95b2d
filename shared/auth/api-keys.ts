import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../ids.js';
import type { ScopeGrant } from './scopes.js';
import type { ApiKeyRecord, TenantStore } from './tenant-store.js';

export interface Principal {
  tenantId: string;
  keyId: string;
  role: string;
  scopes: readonly ScopeGrant[];
}

export interface KeyGrant {
  role: string;
  scopes: ScopeGrant[];
  name?: string;
}

/** Keys carry 256 random bits, so one unsalted SHA-256 is enough to store them safely. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

export function newApiKey(
  tenantId: string,
  grant: KeyGrant,
  now: Date,
): { apiKey: string; record: ApiKeyRecord } {
  const apiKey = `ofk_${randomBytes(32).toString('base64url')}`;
  return {
    apiKey,
    record: {
      keyId: newId('key', now.getTime()),
      tenantId,
      role: grant.role,
      scopes: grant.scopes,
      ...(grant.name === undefined ? {} : { name: grant.name }),
      hash: hashApiKey(apiKey),
      createdAt: now.toISOString(),
    },
  };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export function isAdminKey(token: string | undefined, adminKeyHash: string): boolean {
  if (!token) return false;
  return timingSafeEqual(Buffer.from(hashApiKey(token), 'hex'), Buffer.from(adminKeyHash, 'hex'));
}

/**
 * Resolves API keys to principals, remembering answers briefly so that a busy client
 * does not cost a read per request. A revocation in this process is seen at once;
 * in other processes within `ttlMs`.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();

  constructor(
    private readonly tenants: TenantStore,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    const hash = hashApiKey(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return cached.principal;
    const record = await this.tenants.findKeyByHash(hash);
    const principal = record
      ? { tenantId: record.tenantId, keyId: record.keyId, role: record.role, scopes: record.scopes }
      : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: this.now() + this.ttlMs });
    return principal;
  }

  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.principal?.keyId === keyId) this.cache.delete(hash);
    }
  }
}

/** How often a key's `lastUsedAt` may be written: the list shows use to the minute, not per request. */
export const KEY_USE_INTERVAL_MS = 60_000;

/**
 * Records that a key was used, at most once per interval per key: this process remembers
 * when it last wrote, and the store's condition keeps other processes from writing again.
 */
export class KeyUseRecorder {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly tenants: TenantStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(principal: Principal): Promise<void> {
    const now = this.now();
    const last = this.lastWritten.get(principal.keyId);
    if (last !== undefined && now.getTime() - last < KEY_USE_INTERVAL_MS) return;
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    this.lastWritten.set(principal.keyId, now.getTime());
    await this.tenants.recordKeyUse(
      principal.tenantId,
      principal.keyId,
      now,
      new Date(now.getTime() - KEY_USE_INTERVAL_MS),
    );
  }
}
