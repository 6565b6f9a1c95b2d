import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { type RouteDefinition, routes } from '../../shared/http/routes.js';
import { WorkflowDocument } from '../../shared/workflow/api-schema.js';
import { validWorkflowArbitrary } from '../shared/workflow/arbitraries.js';
import { sampleOrder, useStack } from '../support/stack.js';
import { validWorkflow } from './fixtures.js';
import { arbitraryFor, garbageBody, LONG, pathSegment, send } from './support.js';

const api = useStack();
const REQUESTS = LONG ? 10_000 : 300;
const WORKFLOWS = LONG ? 1_000 : 60;

const table = routes as readonly RouteDefinition[];
const bodies = new Map<string, fc.Arbitrary<unknown>>(
  table
    .filter((route) => route.body)
    .map((route) => [route.operationId, arbitraryFor(route.body as z.ZodType)]),
);
const queries = new Map<string, fc.Arbitrary<unknown>>(
  table
    .filter((route) => route.query)
    .map((route) => [route.operationId, arbitraryFor(route.query as z.ZodType)]),
);

const real: Record<string, string[]> = { id: [], sku: ['CARD-100'], code: ['design'] };
const fiveHundreds: string[] = [];

beforeAll(async () => {
  const created = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
  real.id?.push(created.body.id);
});

function requestArbitrary() {
  return fc
    .record({
      route: fc.constantFrom(...table),
      params: fc.dictionary(
        fc.constantFrom('id', 'keyId', 'sku', 'code', 'version', 'deliveryId'),
        fc.oneof(pathSegment, fc.constantFrom(...(real.id as string[]), 'CARD-100', 'design', '1', '2')),
        { maxKeys: 6 },
      ),
      shape: fc.constantFrom('schema', 'schema', 'schema', 'garbage', 'none'),
      schemaBody: fc.constant(undefined),
      garbage: garbageBody,
      seed: fc.integer(),
      query: fc.oneof(
        fc.constant(''),
        fc
          .dictionary(
            fc.constantFrom(
              'limit',
              'cursor',
              'stage',
              'customerEmail',
              'createdAfter',
              'createdBefore',
              'version',
            ),
            fc.string({ maxLength: 30 }),
          )
          .map((q) => new URLSearchParams(q).toString()),
      ),
      auth: fc.constantFrom('tenant', 'tenant', 'tenant', 'admin', 'none', 'bogus'),
      contentType: fc.constantFrom(
        'application/json',
        'application/merge-patch+json',
        'text/plain',
        'application/json; charset=utf-8',
      ),
      ifMatch: fc.option(fc.constantFrom('"1"', '"2"', '*', 'garbage', '"-1"', 'W/"1"')),
      idempotencyKey: fc.option(fc.string({ minLength: 0, maxLength: 300 })),
    })
    .chain((request) => {
      const body = bodies.get(request.route.operationId);
      const query = queries.get(request.route.operationId);
      return fc.record({
        request: fc.constant(request),
        body: body ?? fc.constant(undefined),
        queryObject: query ?? fc.constant(undefined),
      });
    });
}

async function fire(sample: fc.Arbitrary<unknown> extends never ? never : any): Promise<number> {
  const { request, body, queryObject } = sample;
  const route = request.route as RouteDefinition;
  const path = route.path.replace(/\{(\w+)\}/g, (_: string, name: string) =>
    encodeURIComponent(decodeURIComponentSafe(request.params[name] ?? real[name]?.[0] ?? 'x')),
  );
  let query = request.query as string;
  if (queryObject && typeof queryObject === 'object' && request.seed % 2 === 0) {
    query = new URLSearchParams(
      Object.entries(queryObject as Record<string, unknown>).map(([k, v]): [string, string] => [
        k,
        String(v),
      ]),
    ).toString();
  }
  const key = { tenant: api.key, admin: api.adminKey, none: undefined, bogus: 'ofk_nope' }[
    request.auth as string
  ];
  const rawBody =
    request.shape === 'none'
      ? undefined
      : request.shape === 'garbage'
        ? request.garbage
        : JSON.stringify(body ?? null);
  const headers: Record<string, string> = { 'content-type': request.contentType };
  if (request.ifMatch) headers['if-match'] = request.ifMatch;
  if (request.idempotencyKey !== null)
    headers['idempotency-key'] = request.idempotencyKey.replace(/[^\x20-\x7e]/g, '');
  const url = `${api.stack.url}${path}${query ? `?${query}` : ''}`;
  const response = await send(url, { method: route.method, key, body: rawBody, headers });
  if (response.status >= 500) {
    fiveHundreds.push(
      `${route.method} ${path} ${response.status} ${rawBody?.slice(0, 200)} → ${response.body.slice(0, 300)}`,
    );
  }
  if (response.status >= 400 && response.status !== 404 && response.status !== 405) {
    expect(response.contentType).toBe('application/problem+json');
  }
  return response.status;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

describe('fuzzing every route of the route table', () => {
  it(`answers ${REQUESTS} generated requests without a single 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(), async (sample) => {
        const status = await fire(sample);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: REQUESTS, endOnFailure: true },
    );
    expect(fiveHundreds).toEqual([]);
    // Still alive and still serving.
    expect((await api.call('/health', { key: null })).status).toBe(200);
  }, 600_000);

  it(`validates and publishes ${WORKFLOWS} generated workflow documents without a 5xx`, async () => {
    const documents = fc.oneof(
      validWorkflowArbitrary as fc.Arbitrary<unknown>,
      arbitraryFor(WorkflowDocument),
    );
    await fc.assert(
      fc.asyncProperty(documents, fc.boolean(), async (document, publish) => {
        const response = await api.call(publish ? '/v1/workflow' : '/v1/workflow/validate', {
          method: publish ? 'PUT' : 'POST',
          body: document,
          headers: { 'idempotency-key': `wf-${Math.random()}` },
        });
        expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBeLessThan(500);
      }),
      { numRuns: WORKFLOWS, endOnFailure: true },
    );
    // Whatever got published, new orders are still accepted or refused with a 4xx, never a 5xx.
    const order = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
    expect(order.status).toBeLessThan(500);
  }, 600_000);
});

describe('defects the reliability suite found', () => {
  // Fuzzing PUT /v1/workflow: a condition value of 1e21 passed validation, then the SDK refused
  // to marshal it (beyond Number.MAX_SAFE_INTEGER) and the publish answered 500.
  it('refuses a workflow number that cannot be stored with a 4xx, not a 500', async () => {
    expect((await api.call('/v1/workflow', { method: 'PUT', body: validWorkflow(1e21) })).status).toBe(201);
    expect((await api.call('/v1/workflow')).body.stages[0].transitions[0].when.value).toBe(1e21);
    for (const value of [-1e300, 1e-200]) {
      const document = validWorkflow(value);
      const published = await api.call('/v1/workflow', { method: 'PUT', body: document });
      expect(published.status).toBe(422);
      const checked = await api.call('/v1/workflow/validate', { method: 'POST', body: document });
      expect(checked.status).toBe(200);
      expect(checked.body.valid).toBe(false);
    }
    expect((await api.call('/v1/workflow', { method: 'PUT', body: validWorkflow(50_000) })).status).toBe(201);
  });
});
