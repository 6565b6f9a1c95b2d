import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/api/handler.js';
import { lambdaContext } from '../../../local/api-gateway.js';
import { TABLE_NAME } from '../../../local/stack.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { hashApiKey } from '../../../shared/auth/api-keys.js';
import { DEFAULT_KEY_SCOPES, SCOPES, type Scope } from '../../../shared/auth/scopes.js';
import { type RouteDefinition, routes } from '../../../shared/http/routes.js';
import { keys, recordTypes } from '../../../shared/table.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();
let tenant: { tenantId: string; apiKey: string };
/** One key per scope, each holding that scope alone. */
const keyHolding = {} as Record<Scope, string>;

async function issueKey(tenantId: string, body: Record<string, unknown>) {
  const response = await api.call(`/v1/admin/tenants/${tenantId}/keys`, {
    method: 'POST',
    key: api.adminKey,
    body,
  });
  if (response.status !== 201)
    throw new Error(`key issue failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { keyId: string; apiKey: string; role: string; scopes: string[] };
}

beforeAll(async () => {
  tenant = await api.newTenant('Permissions');
  for (const scope of SCOPES)
    keyHolding[scope] = (await issueKey(tenant.tenantId, { scopes: [scope] })).apiKey;
});

/** The route's path with every parameter filled in (the resources need not exist). */
const pathOf = (route: RouteDefinition) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => `no-such-${name}`);

const tenantRoutes = (routes as readonly RouteDefinition[]).filter(
  (route): route is RouteDefinition & { auth: 'tenant'; scope: Scope } => route.auth === 'tenant',
);

describe('every tenant route of the route table', () => {
  it.each(tenantRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses a key without its scope with 403 naming the scope, and lets a key holding only that scope past the check',
    async (_, route) => {
      const other = SCOPES.find((scope) => scope !== route.scope) as Scope;
      const refused = await api.call(pathOf(route), { method: route.method, key: keyHolding[other] });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ status: 403, requiredScope: route.scope });

      // Without a body or an existing resource the call may fail validation or find nothing: never 403.
      const allowed = await api.call(pathOf(route), { method: route.method, key: keyHolding[route.scope] });
      expect(allowed.status).not.toBe(403);
      expect(allowed.status).toBeLessThan(500);
    },
  );

  it('checks the key before the scope and the scope before reading the body', async () => {
    const unknownKey = await api.call('/v1/workflow', { method: 'PUT', key: 'ofk_unknown', rawBody: '{' });
    expect(unknownKey.status).toBe(401);
    const lacking = await api.call('/v1/workflow', {
      method: 'PUT',
      key: keyHolding['orders:read'],
      rawBody: '{ not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(lacking.status).toBe(403);
    expect(lacking.body.requiredScope).toBe('workflow:write');
  });

  it("documents each route's scope as its OpenAPI security requirement", async () => {
    const { body } = await api.call('/openapi.json', { key: null });
    for (const route of tenantRoutes) {
      const operation = body.paths[route.path][route.method.toLowerCase()];
      expect(operation.security).toEqual([{ apiKey: [route.scope] }]);
      expect(operation.responses[403]).toBeDefined();
    }
  });
});

describe('docs/permissions.md', () => {
  it('lists every route with what it needs, as the route table defines it', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/permissions.md', import.meta.url)), 'utf8');
    const table = doc.slice(doc.indexOf('## Route → scope'));
    const rowOf = (route: RouteDefinition) => [
      `\`${route.method} ${route.path}\``,
      route.auth === 'tenant' ? `\`${route.scope}\`` : route.auth === 'admin' ? 'admin key' : 'none',
    ];
    const listed = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const expected = (routes as readonly RouteDefinition[]).map(rowOf);
    expect(listed, 'docs/permissions.md "Route → scope" should hold exactly these rows').toEqual(expected);
  });
});

describe('default keys', () => {
  it("gives the tenant's first key the owner role and every scope", async () => {
    const created = await api.call('/v1/admin/tenants', {
      method: 'POST',
      key: api.adminKey,
      body: { name: 'Owner' },
    });
    expect(created.body).toMatchObject({ role: 'owner', scopes: ['*'] });
    expect(created.body.keyId).toMatch(/^key_/);
    const publish = await api.call('/v1/workflow', { method: 'PUT', key: created.body.apiKey, body: {} });
    expect(publish.status).toBe(422);
  });

  it('gives a key issued without scopes day-to-day order work and nothing that changes the setup', async () => {
    const staff = await issueKey(tenant.tenantId, {});
    expect(staff).toMatchObject({ role: 'staff', scopes: [...DEFAULT_KEY_SCOPES] });
    const order = await api.call('/v1/orders', { method: 'POST', key: staff.apiKey, body: sampleOrder });
    expect(order.status).toBe(201);
    expect((await api.call('/v1/inventory/SKU-1', { key: staff.apiKey })).status).toBe(404);
    expect((await api.call('/v1/workflow', { key: staff.apiKey })).status).toBe(200);
    const stock = await api.call('/v1/inventory/SKU-1', {
      method: 'PUT',
      key: staff.apiKey,
      body: { onHand: 5 },
    });
    expect(stock.body.requiredScope).toBe('inventory:write');
    expect((await api.call('/v1/keys', { key: staff.apiKey })).body.requiredScope).toBe('keys:manage');
  });

  it('keeps full access for a key stored before scopes existed, without rewriting it', async () => {
    const documents = createDocumentClient({
      tableName: TABLE_NAME,
      endpoint: api.stack.dynamo.endpoint,
      region: 'local',
    });
    const apiKey = 'ofk_stored-before-scopes';
    const legacy = {
      keyId: 'key_legacy',
      tenantId: tenant.tenantId,
      role: 'staff',
      hash: hashApiKey(apiKey),
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await documents.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: { ...keys.apiKeyByHash(legacy.hash), entity: recordTypes.apiKey, ...legacy },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: { ...keys.tenantKey(tenant.tenantId, legacy.keyId), entity: recordTypes.tenantKey, ...legacy },
      }),
    );

    const publish = await api.call('/v1/workflow', { method: 'PUT', key: apiKey, body: {} });
    expect(publish.status).toBe(422);
    const list = await api.call('/v1/keys?limit=100', { key: apiKey });
    expect(list.status).toBe(200);
    expect(list.body.items.find((key: { keyId: string }) => key.keyId === 'key_legacy')).toMatchObject({
      role: 'staff',
      scopes: ['*'],
    });
  });
});

describe('an authorizer answer', () => {
  const handler = () => createApiHandler(api.stack.deps);
  const listKeys = (lambda: Record<string, string>) =>
    ({
      version: '2.0',
      routeKey: 'GET /v1/keys',
      rawPath: '/v1/keys',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/v1/keys' }, requestId: 'r', authorizer: { lambda } },
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;
  const principal = () => ({ tenantId: tenant.tenantId, keyId: 'key_cached', role: 'staff' });

  it('carries the key scopes to the api function, which enforces them', async () => {
    const scoped = await handler()(
      listKeys({ ...principal(), scopes: 'orders:read' }),
      lambdaContext('api', 'r'),
    );
    expect(scoped.statusCode).toBe(403);
    const managing = await handler()(
      listKeys({ ...principal(), scopes: 'orders:read keys:manage' }),
      lambdaContext('api', 'r'),
    );
    expect(managing.statusCode).toBe(200);
  });

  it('cached before scopes existed keeps the full access the key had', async () => {
    const legacy = await handler()(listKeys(principal()), lambdaContext('api', 'r'));
    expect(legacy.statusCode).toBe(200);
  });
});

describe('the role gate cannot be walked around', () => {
  const gated = {
    format: 'orderflow.workflow/v1',
    name: 'Reviewed',
    initialStage: 'draft',
    stages: [
      { id: 'draft', editable: true, transitions: [{ to: 'review' }] },
      { id: 'review', transitions: [{ to: 'approved', roles: ['reviewer'] }] },
      { id: 'approved', final: true },
    ],
  };
  const ungated = {
    ...gated,
    stages: [gated.stages[0], { id: 'review', transitions: [{ to: 'approved' }] }, gated.stages[2]],
  };

  it('keeps a staff key from publishing a workflow without the gate, migrating to it or subscribing to every order', async () => {
    const shop = await api.newTenant('Gated shop');
    expect((await api.call('/v1/workflow', { method: 'PUT', key: shop.apiKey, body: gated })).status).toBe(
      201,
    );
    const staff = (await issueKey(shop.tenantId, {})).apiKey;
    const order = (await api.call('/v1/orders', { method: 'POST', key: staff, body: sampleOrder })).body;
    const move = (to: string) =>
      api.call(`/v1/orders/${order.id}/transitions`, { method: 'POST', key: staff, body: { to } });
    expect((await move('review')).status).toBe(200);
    expect((await move('approved')).status).toBe(403);

    const publish = await api.call('/v1/workflow', { method: 'PUT', key: staff, body: ungated });
    expect(publish.status).toBe(403);
    expect(publish.body.requiredScope).toBe('workflow:write');
    const migrate = await api.call(`/v1/orders/${order.id}/migrate`, {
      method: 'POST',
      key: staff,
      body: { toVersion: 0 },
    });
    expect(migrate.status).toBe(403);
    expect(migrate.body.requiredScope).toBe('workflow:write');
    const subscribe = await api.call('/v1/webhooks', {
      method: 'POST',
      key: staff,
      body: { url: 'https://example.com/hook', events: ['order.created'] },
    });
    expect(subscribe.status).toBe(403);
    expect(subscribe.body.requiredScope).toBe('webhooks:manage');
    expect((await api.call('/v1/actions/signing-secret', { key: staff })).body.requiredScope).toBe(
      'webhooks:manage',
    );
    const selfIssued = await api.call('/v1/keys', { method: 'POST', key: staff, body: { role: 'reviewer' } });
    expect(selfIssued.body.requiredScope).toBe('keys:manage');

    expect((await move('approved')).status).toBe(403);
    const after = await api.call(`/v1/orders/${order.id}`, { key: staff });
    expect(after.body.stage).toBe('review');
  });
});
