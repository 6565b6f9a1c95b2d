import { describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

describe('HTTP semantics', () => {
  it('answers a method a path lacks with 405 and an Allow header listing the ones it has', async () => {
    const response = await api.call('/v1/orders', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, GET');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.detail).toBe('DELETE is not supported on /v1/orders.');
    expect((await api.call('/v1/nowhere', { method: 'DELETE' })).headers.get('allow')).toBeNull();
  });

  it('answers a missing or unknown key with 401 and a WWW-Authenticate challenge', async () => {
    for (const key of [null, 'not-a-key']) {
      const tenantRoute = await api.call('/v1/orders', { key });
      expect(tenantRoute.status).toBe(401);
      expect(tenantRoute.headers.get('www-authenticate')).toBe('Bearer realm="orderflow"');
      const adminRoute = await api.call('/v1/admin/tenants', { method: 'POST', key, body: { name: 'x' } });
      expect(adminRoute.status).toBe(401);
      expect(adminRoute.headers.get('www-authenticate')).toBe('Bearer realm="orderflow"');
    }
  });

  it('answers a created key with 201 and its Location, where it can be revoked', async () => {
    const shop = await api.newTenant('Locations');
    const own = await api.call('/v1/keys', { method: 'POST', key: shop.apiKey, body: { name: 'Till' } });
    expect(own.status).toBe(201);
    expect(own.headers.get('location')).toBe(`/v1/keys/${own.body.keyId}`);
    const issued = await api.call(`/v1/admin/tenants/${shop.tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: {},
    });
    expect(issued.status).toBe(201);
    expect(issued.headers.get('location')).toBe(
      `/v1/admin/tenants/${shop.tenantId}/keys/${issued.body.keyId}`,
    );
    const revoked = await api.call(own.headers.get('location') as string, {
      method: 'DELETE',
      key: shop.apiKey,
    });
    expect(revoked.status).toBe(204);
    expect((await api.call('/v1/orders', { key: own.body.apiKey })).status).toBe(401);
  });

  it('answers a GET whose If-None-Match names the current ETag with 304 and no body', async () => {
    const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    const path = `/v1/orders/${created.body.id}`;
    const first = await api.call(path);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"\d+"$/);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"999999", ${etag}`, '*']) {
      const cached = await api.call(path, { headers: { 'if-none-match': ifNoneMatch } });
      expect(cached.status, ifNoneMatch).toBe(304);
      expect(cached.headers.get('etag')).toBe(etag);
      expect(cached.body).toBeUndefined();
    }
    const stale = await api.call(path, { headers: { 'if-none-match': '"999999"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.id).toBe(created.body.id);
  });

  it('sends the same words as status text and as the problem title, 413 and 422 included', async () => {
    const send = (rawBody: string, headers: Record<string, string> = {}) =>
      fetch(`${api.stack.url}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json', ...headers },
        body: rawBody,
      });
    const tooLarge = await send(JSON.stringify({ ...sampleOrder, notes: 'x'.repeat(256 * 1024) }));
    const first = await send(JSON.stringify(sampleOrder), { 'idempotency-key': 'status-text' });
    const reused = await send(JSON.stringify({ ...sampleOrder, notes: 'another' }), {
      'idempotency-key': 'status-text',
    });
    const unsupported = await send('currency=GBP', { 'content-type': 'text/plain' });
    expect([tooLarge.status, first.status, reused.status, unsupported.status]).toEqual([413, 201, 422, 415]);
    expect(tooLarge.statusText).toBe('Content Too Large');
    expect(reused.statusText).toBe('Unprocessable Content');
    for (const problem of [tooLarge, reused, unsupported]) {
      expect(((await problem.json()) as { title: string }).title).toBe(problem.statusText);
    }
    expect(first.statusText).toBe('Created');
  });

  it('declares these headers in the OpenAPI document', async () => {
    const { paths, components } = (await api.call('/openapi.json', { key: null })).body;
    const getOrder = paths['/v1/orders/{id}'].get;
    expect(getOrder.parameters).toContainEqual(
      expect.objectContaining({ name: 'If-None-Match', in: 'header' }),
    );
    expect(getOrder.responses['200'].headers.ETag).toEqual({ $ref: '#/components/headers/ETag' });
    expect(getOrder.responses['304'].headers.ETag).toEqual({ $ref: '#/components/headers/ETag' });
    expect(getOrder.responses['401'].headers['WWW-Authenticate']).toEqual({
      $ref: '#/components/headers/WWW-Authenticate',
    });
    expect(paths['/v1/keys'].post.responses['201'].headers.Location).toEqual({
      $ref: '#/components/headers/Location',
    });
    expect(paths['/v1/admin/tenants/{id}/keys'].post.responses['201'].headers.Location).toBeDefined();
    expect(Object.keys(components.headers).sort()).toEqual(['ETag', 'Location', 'WWW-Authenticate']);
  });
});
