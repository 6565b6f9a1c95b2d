import * as fc from 'fast-check';
import * as z from 'zod';

/** Long form (`npm run test:reliability`) or the CI-sized one that `npm test` runs. */
export const LONG = process.env.RELIABILITY_LONG === '1';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * Values shaped by a zod schema (through its JSON Schema): mostly valid, and with every
 * field also allowed to be anything at all, so the handlers see near-misses as well.
 */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  } catch {
    return anyJson;
  }
  const defs = json.$defs ?? {};
  const build = (node: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    if (depth > 5) return anyJson;
    if (node.$ref) {
      const target = defs[node.$ref.split('/').at(-1) ?? ''];
      return target ? build(target, depth + 1) : anyJson;
    }
    if (node.const !== undefined) return fc.constant(node.const);
    if (node.enum) return fc.constantFrom(...node.enum);
    const union = node.anyOf ?? node.oneOf;
    if (union?.length) return fc.oneof(...union.map((option) => build(option, depth + 1)));
    if (node.allOf?.length) return build(node.allOf[0] as JsonSchema, depth + 1);
    const type = Array.isArray(node.type) ? node.type[0] : node.type;
    switch (type) {
      case 'string':
        return fc.oneof(
          fc.string({ minLength: node.minLength ?? 0, maxLength: Math.min(node.maxLength ?? 20, 40) }),
          fc.constantFrom('GBP', 'ada@example.com', 'https://example.com/x', 'CARD-100', 'submitted', ''),
        );
      case 'integer':
        return fc.integer({ min: node.minimum ?? -1_000, max: Math.min(node.maximum ?? 1_000_000, 2 ** 31) });
      case 'number':
        return fc.double({ noNaN: true, min: node.minimum ?? -1e6, max: node.maximum ?? 1e6 });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(node.items ? build(node.items, depth + 1) : anyJson, {
          maxLength: Math.min(node.maxItems ?? 3, 3),
        });
      case 'object': {
        const properties = node.properties ?? {};
        const required = new Set(node.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, child] of Object.entries(properties)) {
          record[name] = fc.oneof(
            { weight: 8, arbitrary: build(child, depth + 1) },
            { weight: 1, arbitrary: anyJson },
          );
        }
        return fc.record(record, {
          requiredKeys: Object.keys(properties).filter((name) => required.has(name)),
        });
      }
      default:
        return anyJson;
    }
  };
  return build(json, 0);
}

/** Bytes no JSON parser likes, and JSON no schema expects. */
export const garbageBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  anyJson.map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{',
    '[',
    'null',
    '"',
    '{"a":',
    '\u0000',
    '{"__proto__":{"x":1}}',
    '1e999',
    '[[[[[[[[[[]]]]]]]]]]',
  ),
);

export const pathSegment = fc.oneof(
  fc.constantFrom(
    'ord_00000000000000000000000000',
    'wh_x',
    '1',
    '0',
    '-1',
    '%00',
    '%2F',
    '..',
    'a'.repeat(300),
    '%E2%82',
    'x%20y',
  ),
  fc.stringMatching(/^[A-Za-z0-9_.~-]{1,40}$/),
);

export interface Response {
  status: number;
  contentType: string | null;
  body: string;
}

export async function send(
  url: string,
  init: { method: string; key?: string; body?: string; headers?: Record<string, string> },
): Promise<Response> {
  const response = await fetch(url, {
    method: init.method,
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined && init.method !== 'GET' ? { body: init.body } : {}),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}
