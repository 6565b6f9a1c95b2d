import { describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../../shared/http/routes.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();

const withParameters = (routes as readonly RouteDefinition[]).filter((route) => route.path.includes('{'));

/** Values no id, SKU or version can have: too long for a DynamoDB key, or odd characters. */
const oddValues = [
  'x'.repeat(2_000),
  `ord_${'0'.repeat(1_100)}`,
  encodeURIComponent('ünïcødé'),
  encodeURIComponent('a b'),
  encodeURIComponent('#'),
  '-leading-dash',
];

function pathWith(route: RouteDefinition, value: string): string {
  return route.path.replace(/\{\w+\}/g, value);
}

describe('path parameters', () => {
  it('covers every route that has one', () => {
    expect(withParameters.length).toBeGreaterThanOrEqual(15);
  });

  for (const route of withParameters) {
    it(`${route.method} ${route.path} refuses odd and over-long values with problem+json, never a 5xx`, async () => {
      const key = route.auth === 'admin' ? api.adminKey : api.key;
      for (const value of oddValues) {
        const response = await api.call(pathWith(route, value), {
          method: route.method,
          key,
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
        expect([400, 404], `${value.slice(0, 30)} → ${response.status}`).toContain(response.status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.body.errors[0].path).toMatch(/^\/path(\/|$)/);
      }
    });
  }

  it('still finds a well-formed id, and answers 404 for a well-formed one that names nothing', async () => {
    const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    expect((await api.call(`/v1/orders/${created.body.id}`)).status).toBe(200);
    const missing = await api.call(`/v1/orders/ord_${'0'.repeat(26)}`);
    expect(missing.status).toBe(404);
  });

  it('answers 400 for malformed percent-encoding, before authentication', async () => {
    for (const path of ['/v1/orders/%E0%A4%A', '/v1/orders/%', '/v1/admin/tenants/%ZZ/keys']) {
      const response = await api.call(path, { key: null, method: path.endsWith('keys') ? 'POST' : 'GET' });
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
