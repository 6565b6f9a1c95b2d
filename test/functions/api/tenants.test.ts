import { describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

describe('authentication', () => {
  it('answers 401 problem+json without a key, with an unknown key and with a malformed header', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ofk_unknown' },
      { authorization: 'Basic abc' },
    ];
    for (const headers of attempts) {
      const response = await api.call('/v1/orders', { key: null, headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('does not let a tenant key use the admin API, nor the admin key the tenant API', async () => {
    expect((await api.call('/v1/admin/tenants', { method: 'POST', body: { name: 'x' } })).status).toBe(401);
    expect((await api.call('/v1/orders', { key: api.adminKey })).status).toBe(401);
  });
});

describe('tenants and keys', () => {
  it('creates a tenant whose key works at once and is shown only once', async () => {
    const response = await api.call('/v1/admin/tenants', {
      method: 'POST',
      key: api.adminKey,
      body: { name: 'Print shop' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'Print shop' });
    expect(response.body.tenantId).toMatch(/^ten_/);
    expect(response.body.apiKey).toMatch(/^ofk_/);
    const create = await api.call('/v1/orders', {
      method: 'POST',
      key: response.body.apiKey,
      body: sampleOrder,
    });
    expect(create.status).toBe(201);
  });

  it('issues keys with the staff role by default or the one asked for, and revokes them', async () => {
    const { tenantId } = await api.newTenant();
    const issue = (body: unknown) =>
      api.call(`/v1/admin/tenants/${tenantId}/keys`, { method: 'POST', key: api.adminKey, body });
    const staff = await issue({});
    expect(staff.status).toBe(201);
    expect(staff.body.role).toBe('staff');
    const reviewer = await issue({ role: 'reviewer' });
    expect(reviewer.body.role).toBe('reviewer');

    const order = await api.call('/v1/orders', {
      method: 'POST',
      key: reviewer.body.apiKey,
      body: sampleOrder,
    });
    const events = await api.call(`/v1/orders/${order.body.id}/events`, { key: reviewer.body.apiKey });
    expect(events.body.items[0].actor).toEqual({ type: 'key', keyId: reviewer.body.keyId, role: 'reviewer' });

    const revoke = await api.call(`/v1/admin/tenants/${tenantId}/keys/${reviewer.body.keyId}`, {
      method: 'DELETE',
      key: api.adminKey,
    });
    expect(revoke.status).toBe(204);
    expect((await api.call('/v1/orders', { key: reviewer.body.apiKey })).status).toBe(401);
    expect((await api.call('/v1/orders', { key: staff.body.apiKey })).status).toBe(200);
  });

  it('answers 404 for keys of unknown tenants and unknown keys', async () => {
    const issue = await api.call('/v1/admin/tenants/ten_missing/keys', {
      method: 'POST',
      key: api.adminKey,
      body: {},
    });
    expect(issue.status).toBe(404);
    const { tenantId } = await api.newTenant();
    const revoke = await api.call(`/v1/admin/tenants/${tenantId}/keys/key_missing`, {
      method: 'DELETE',
      key: api.adminKey,
    });
    expect(revoke.status).toBe(404);
  });

  it('cannot revoke one tenant key through another tenant id', async () => {
    const a = await api.newTenant('A');
    const b = await api.newTenant('B');
    const key = await api.call(`/v1/admin/tenants/${a.tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: {},
    });
    const revoke = await api.call(`/v1/admin/tenants/${b.tenantId}/keys/${key.body.keyId}`, {
      method: 'DELETE',
      key: api.adminKey,
    });
    expect(revoke.status).toBe(404);
    expect((await api.call('/v1/orders', { key: key.body.apiKey })).status).toBe(200);
  });

  it('validates role names', async () => {
    const { tenantId } = await api.newTenant();
    const response = await api.call(`/v1/admin/tenants/${tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: { role: 'Not A Role!' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('/role');
  });
});
