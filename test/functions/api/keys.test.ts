import { describe, expect, it } from 'vitest';
import { useStack } from '../../support/stack.js';

const api = useStack();

describe('tenant self-service keys', () => {
  it('issues, lists and revokes keys of its own tenant, and a revoked key fails on its next request', async () => {
    const shop = await api.newTenant('Self service');
    const created = await api.call('/v1/keys', {
      method: 'POST',
      key: shop.apiKey,
      body: { name: 'Warehouse', scopes: ['orders:read', 'inventory:write'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      role: 'staff',
      scopes: ['orders:read', 'inventory:write'],
      name: 'Warehouse',
    });
    const warehouse = created.body.apiKey as string;

    expect((await api.call('/v1/orders', { key: warehouse })).status).toBe(200);
    const stock = await api.call('/v1/inventory/BOX-1', {
      method: 'PUT',
      key: warehouse,
      body: { onHand: 12 },
    });
    expect(stock.status).toBe(200);
    expect(
      (await api.call('/v1/orders', { method: 'POST', key: warehouse, body: {} })).body.requiredScope,
    ).toBe('orders:write');

    const list = await api.call('/v1/keys', { key: shop.apiKey });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((key: { keyId: string }) => key.keyId === created.body.keyId);
    expect(listed).toMatchObject({
      name: 'Warehouse',
      role: 'staff',
      scopes: ['orders:read', 'inventory:write'],
    });
    expect(Date.parse(listed.createdAt)).not.toBeNaN();
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(listed.createdAt));
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(warehouse);
    expect(text).not.toContain('hash');
    expect(list.body.items.map((key: { role: string }) => key.role)).toContain('owner');

    const revoke = await api.call(`/v1/keys/${created.body.keyId}`, { method: 'DELETE', key: shop.apiKey });
    expect(revoke.status).toBe(204);
    expect((await api.call('/v1/orders', { key: warehouse })).status).toBe(401);
    expect(
      (await api.call(`/v1/keys/${created.body.keyId}`, { method: 'DELETE', key: shop.apiKey })).status,
    ).toBe(404);
  });

  it('never lets a key grant a scope or a role it does not hold', async () => {
    const shop = await api.newTenant('Escalation');
    const manager = (
      await api.call('/v1/keys', {
        method: 'POST',
        key: shop.apiKey,
        body: { role: 'lead', scopes: ['keys:manage', 'orders:read'] },
      })
    ).body;
    const issue = (body: unknown) => api.call('/v1/keys', { method: 'POST', key: manager.apiKey, body });

    for (const scopes of [['orders:write'], ['*'], ['orders:read', 'workflow:write']]) {
      const refused = await issue({ scopes });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await issue({})).status).toBe(403);
    expect((await issue({ role: 'reviewer', scopes: ['orders:read'] })).status).toBe(403);

    const ownRole = await issue({ role: 'lead', scopes: ['orders:read'] });
    expect(ownRole.status).toBe(201);
    const staff = await issue({ scopes: ['orders:read', 'keys:manage'] });
    expect(staff.body).toMatchObject({ role: 'staff', scopes: ['orders:read', 'keys:manage'] });

    const owner = (await api.call('/v1/keys', { key: shop.apiKey })).body.items.find(
      (key: { role: string }) => key.role === 'owner',
    );
    const revokeOwner = await api.call(`/v1/keys/${owner.keyId}`, { method: 'DELETE', key: manager.apiKey });
    expect(revokeOwner.status).toBe(403);
    expect((await api.call('/v1/orders', { key: shop.apiKey })).status).toBe(200);
  });

  it('keeps each tenant to its own keys', async () => {
    const a = await api.newTenant('Tenant A');
    const b = await api.newTenant('Tenant B');
    const keyOfA = (await api.call('/v1/keys', { method: 'POST', key: a.apiKey, body: {} })).body;
    expect((await api.call(`/v1/keys/${keyOfA.keyId}`, { method: 'DELETE', key: b.apiKey })).status).toBe(
      404,
    );
    const listOfB = await api.call('/v1/keys', { key: b.apiKey });
    expect(listOfB.body.items.map((key: { keyId: string }) => key.keyId)).not.toContain(keyOfA.keyId);
    expect((await api.call('/v1/orders', { key: keyOfA.apiKey })).status).toBe(200);
  });

  it('issues roles that workflow documents accept, such as ops.lead', async () => {
    const shop = await api.newTenant('Dotted roles');
    const lead = await api.call('/v1/keys', {
      method: 'POST',
      key: shop.apiKey,
      body: { role: 'ops.lead', scopes: ['orders:read'] },
    });
    expect(lead.status).toBe(201);
    expect(lead.body.role).toBe('ops.lead');
    const invalid = await api.call('/v1/keys', {
      method: 'POST',
      key: shop.apiKey,
      body: { role: 'Ops Lead' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toBe('/role');
  });

  it('pages through the key list with signed cursors', async () => {
    const shop = await api.newTenant('Many keys');
    for (let i = 0; i < 3; i++) await api.call('/v1/keys', { method: 'POST', key: shop.apiKey, body: {} });
    const first = await api.call('/v1/keys?limit=3', { key: shop.apiKey });
    expect(first.body.items).toHaveLength(3);
    const second = await api.call(`/v1/keys?limit=3&cursor=${first.body.nextCursor}`, { key: shop.apiKey });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((key: { keyId: string }) => key.keyId);
    expect(new Set(all).size).toBe(4);
    const other = await api.newTenant('Cursor thief');
    expect((await api.call(`/v1/keys?cursor=${first.body.nextCursor}`, { key: other.apiKey })).status).toBe(
      400,
    );
  });
});
