import * as z from 'zod';
import { catalogEventTypes, eventCatalog } from '../events/catalog.js';
import { type ResponseHeader, type RouteDefinition, routes } from './routes.js';

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requiredScope: z.string().optional().describe('On a 403 for a missing scope: the scope the call needs.'),
});

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

function parametersOf(route: RouteDefinition) {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? schemaOf(route.query, 'input') : undefined;
  const properties = (query?.properties ?? {}) as Record<string, unknown>;
  const required = new Set((query?.required ?? []) as string[]);
  const queryParameters = Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
  const conditional = revalidates(route)
    ? [
        {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description:
            'The ETag the client holds: when it is still current the answer is 304 without a body.',
          schema: { type: 'string' },
        },
      ]
    : [];
  const headers =
    route.method === 'POST'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Retries with the same key and body replay the first response.',
            schema: { type: 'string', minLength: 1, maxLength: 255 },
          },
        ]
      : [];
  return [...pathParameters, ...queryParameters, ...headers, ...conditional];
}

/** A GET that answers an ETag also answers If-None-Match. */
function revalidates(route: RouteDefinition): boolean {
  return route.method === 'GET' && (route.success.headers ?? []).includes('ETag');
}

const headerComponents = {
  ETag: {
    description:
      "The order's version as an entity tag: send it back in If-Match to change only that version.",
    schema: { type: 'string', examples: ['"4"'] },
  },
  Location: {
    description: 'The URL of the resource this answer created or points at.',
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description: 'How to authenticate: a bearer API key.',
    schema: { type: 'string', examples: ['Bearer realm="orderflow"'] },
  },
} as const;

const headerRefs = (names: readonly (ResponseHeader | keyof typeof headerComponents)[]) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

/** A tenant route's scope as its security requirement (OpenAPI 3.1 lets non-OAuth schemes list roles). */
function securityOf(route: RouteDefinition): Record<string, string[]>[] {
  if (route.auth === 'tenant') return [{ apiKey: [route.scope] }];
  return route.auth === 'admin' ? [{ adminKey: [] }] : [];
}

const problemResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** One webhook per catalog event type: the envelope POSTed to subscribers, with its `data`. */
function webhooksOf(): Record<string, unknown> {
  return Object.fromEntries(
    catalogEventTypes.map((type) => {
      const envelope = z.object({
        id: z.string(),
        type: z.literal(type),
        tenantId: z.string(),
        timestamp: z.iso.datetime(),
        data: eventCatalog[type].data,
      });
      const operation = {
        summary: eventCatalog[type].when,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaOf(envelope, 'output') } },
        },
        responses: { '2XX': { description: 'Received; any other answer is retried.' } },
      };
      return [type, { post: operation }];
    }),
  );
}

/** The OpenAPI 3.1 document, generated from the route table and the zod schemas that validate requests. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDefinition[]) {
    const success = route.success.schema
      ? { content: { 'application/json': { schema: schemaOf(route.success.schema, 'output') } } }
      : {};
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      security: securityOf(route),
      parameters: parametersOf(route),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                [route.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json']: {
                  schema: schemaOf(route.body, 'input'),
                },
              },
            },
          }
        : {}),
      responses: {
        [route.success.status]: {
          description: 'Success',
          ...(route.success.headers ? { headers: headerRefs(route.success.headers) } : {}),
          ...success,
        },
        ...(revalidates(route)
          ? {
              304: {
                description: 'Not Modified: If-None-Match names the current ETag',
                headers: headerRefs(['ETag']),
              },
            }
          : {}),
        ...(route.auth === 'none'
          ? {}
          : { 401: problemResponse('Missing or unknown key', headerRefs(['WWW-Authenticate'])) }),
        ...(route.auth === 'tenant'
          ? { 403: problemResponse(`The key lacks the "${route.scope}" scope (named in requiredScope)`) }
          : {}),
        '4XX': problemResponse('The request cannot be served as sent'),
        503: problemResponse('Temporarily unavailable; retry'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Orderflow API', version: '1.0.0' },
    paths,
    webhooks: webhooksOf(),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A tenant's API key. Each operation's requirement names the scope the key must hold (or `*`).",
        },
        adminKey: { type: 'http', scheme: 'bearer', description: "The deployment's admin key." },
      },
      headers: headerComponents,
      schemas: { Problem: schemaOf(Problem, 'output') },
    },
    security: [{ apiKey: [] }],
  };
}
