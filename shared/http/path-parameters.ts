import { ID_BODY_PATTERN, type IdPrefix } from '../ids.js';
import { ProblemError, problems } from '../problem.js';
import type { RouteDefinition } from './routes.js';

/**
 * The format of every path parameter, derived from the route table: the id after
 * `/orders/` is an order id, the one after `/webhooks/` a webhook id, and so on. A value that
 * cannot name anything never reaches the store (DynamoDB refuses keys over 1,024 bytes with
 * an error, not a miss).
 */
const prefixed = (prefix: IdPrefix) => new RegExp(`^${prefix}_${ID_BODY_PATTERN}$`);

/** SKUs and service codes, as order lines declare them. */
const LINE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Any parameter the table below does not know yet: short, and safe in a key. */
const FALLBACK = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * By `<segment before it>/{name}`, then by `{name}` alone. `id`: made by the service, so a
 * malformed one names nothing (404); `name`: chosen by the client (a SKU), so a malformed one
 * is bad input (400).
 */
const FORMATS: Record<string, { format: RegExp; kind: 'id' | 'name' }> = {
  // Tenants created through the API are `ten_…`; the local stack's demo tenant is a plain name.
  'tenants/{id}': { format: new RegExp(`^(?:ten_${ID_BODY_PATTERN}|[a-z][a-z0-9-]{0,39})$`), kind: 'id' },
  'orders/{id}': { format: prefixed('ord'), kind: 'id' },
  'webhooks/{id}': { format: prefixed('wh'), kind: 'id' },
  '{keyId}': { format: prefixed('key'), kind: 'id' },
  '{deliveryId}': { format: prefixed('dlv'), kind: 'id' },
  '{holdId}': { format: prefixed('hold'), kind: 'id' },
  '{returnId}': { format: prefixed('ret'), kind: 'id' },
  '{version}': { format: /^\d{1,9}$/, kind: 'id' },
  '{sku}': { format: LINE_CODE, kind: 'name' },
  '{code}': { format: LINE_CODE, kind: 'name' },
};

export interface PathParameterSpec {
  name: string;
  format: RegExp;
  kind: 'id' | 'name';
}

/** Each `{name}` of a route's path with the format its value must have. */
export function pathParameterSpecs(path: string): PathParameterSpec[] {
  const specs: PathParameterSpec[] = [];
  for (const match of path.matchAll(/([^/{}]+)\/\{(\w+)\}/g)) {
    const [, segment, name] = match as unknown as [string, string, string];
    const known = FORMATS[`${segment}/{${name}}`] ?? FORMATS[`{${name}}`] ?? { format: FALLBACK, kind: 'id' };
    specs.push({ name, ...known });
  }
  return specs;
}

const specsByPath = new Map<string, PathParameterSpec[]>();

/**
 * Refuses a path whose parameters cannot name a resource: 400 when a client-chosen name (or
 * any value on a PUT, which names what it creates) is malformed, else 404 (nothing by that
 * id can exist).
 */
export function validatePathParameters(
  route: Pick<RouteDefinition, 'method' | 'path'>,
  params: Record<string, string | undefined> | undefined,
): void {
  let specs = specsByPath.get(route.path);
  if (!specs) {
    specs = pathParameterSpecs(route.path);
    specsByPath.set(route.path, specs);
  }
  const invalid = specs.filter(({ name, format }) => !format.test(params?.[name] ?? ''));
  if (invalid.length === 0) return;
  const errors = invalid.map(({ name, format }) => ({
    path: `/params/${name}`,
    message: `Must match ${format.source}.`,
  }));
  if (route.method === 'PUT' || invalid.some(({ kind }) => kind === 'name')) {
    throw problems.validation(errors, 'The path is not valid.');
  }
  const names = invalid.map(({ name }) => name).join(', ');
  throw new ProblemError(404, 'not-found', `Nothing exists at this path: malformed ${names}.`, { errors });
}
