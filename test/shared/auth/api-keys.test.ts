import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoTenantStore } from '../../../shared/adapters/dynamodb/tenant-store.js';
import { KEY_USE_INTERVAL_MS, KeyUseRecorder, newApiKey } from '../../../shared/auth/api-keys.js';
import { useDynamoTable } from '../../support/dynamodb-table.js';

const tableName = 'key-use';
const database = useDynamoTable(tableName);
let store: DynamoTenantStore;

beforeAll(() => {
  store = new DynamoTenantStore(database.documents, tableName);
});

async function storedKey(tenantId: string) {
  const created = new Date('2026-03-01T10:00:00.000Z');
  const { record } = newApiKey(tenantId, { role: 'staff', scopes: ['orders:read'] }, created);
  await store.createTenant({ tenantId, name: tenantId, createdAt: created.toISOString() }, record);
  const principal = { tenantId, keyId: record.keyId, role: record.role, scopes: record.scopes };
  const lastUsedAt = async () => (await store.getKey(tenantId, record.keyId))?.lastUsedAt;
  return { principal, lastUsedAt };
}

describe('KeyUseRecorder', () => {
  it('writes a key’s last use at most once a minute, however often it is used', async () => {
    const { principal, lastUsedAt } = await storedKey('ten_busy');
    let now = new Date('2026-03-01T10:00:00.000Z');
    const recorder = new KeyUseRecorder(store, () => now);
    const writes = vi.spyOn(store, 'recordKeyUse');

    for (let second = 0; second < 59; second += 5) {
      now = new Date(Date.parse('2026-03-01T10:00:00.000Z') + second * 1000);
      await recorder.record(principal);
    }
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await lastUsedAt()).toBe('2026-03-01T10:00:00.000Z');

    now = new Date(Date.parse('2026-03-01T10:00:00.000Z') + KEY_USE_INTERVAL_MS + 1000);
    await recorder.record(principal);
    expect(await lastUsedAt()).toBe('2026-03-01T10:01:01.000Z');
    writes.mockRestore();
  });

  it('lets the store keep a second process from writing again within the minute', async () => {
    const { principal, lastUsedAt } = await storedKey('ten_two_processes');
    const first = new KeyUseRecorder(store, () => new Date('2026-03-01T10:00:00.000Z'));
    const second = new KeyUseRecorder(store, () => new Date('2026-03-01T10:00:30.000Z'));
    await first.record(principal);
    await second.record(principal);
    expect(await lastUsedAt()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('does not bring a revoked key back by recording its use', async () => {
    const { principal } = await storedKey('ten_revoked');
    await store.revokeKey(principal.tenantId, principal.keyId);
    await new KeyUseRecorder(store).record(principal);
    expect(await store.getKey(principal.tenantId, principal.keyId)).toBeUndefined();
  });
});
