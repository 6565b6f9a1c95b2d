import * as z from 'zod';
import { catalogEventTypes, eventCatalog } from '../events/catalog.js';
import { type RouteDefinition, routes } from './routes.js';

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
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
  return [...pathParameters, ...queryParameters, ...headers];
}

const problemResponse = (description: string) => ({
  description,
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
      ...(route.auth === 'none' ? { security: [] } : {}),
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
        [route.success.status]: { description: 'Success', ...success },
        ...(route.auth === 'none' ? {} : { 401: problemResponse('Missing or unknown key') }),
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
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: schemaOf(Problem, 'output') },
    },
    security: [{ apiKey: [] }],
  };
}
