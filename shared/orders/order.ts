import { newId } from '../ids.js';
import { canonicalJson } from '../json.js';
import { type ProblemDetail, ProblemError, problems } from '../problem.js';
import { issuesToProblems } from '../validation.js';
import {
  type CreateOrderRequest,
  type ItemProgressRequest,
  type LineStatus,
  type Order,
  OrderDetails,
  type PatchOrderRequest,
} from './schema.js';

type Details = Pick<Order, 'items' | 'services'>;

/**
 * The largest amount, line total or order total (minor units). Every amount stays a safe
 * integer below it, so totals are exact.
 */
export const MAX_MONEY = 1_000_000_000_000;

/**
 * The largest order, as JSON. DynamoDB refuses items over 400 KB; the order item also holds
 * what the store keeps beside the order (action results, the wait's token), so the order
 * itself stays well below that.
 */
export const MAX_ORDER_BYTES = 300_000;

/** The order, or a 422 naming the limit when it would not fit in its item. */
export function assertOrderFits<O extends Order>(order: O): O {
  const bytes = Buffer.byteLength(JSON.stringify(order));
  if (bytes > MAX_ORDER_BYTES) {
    throw new ProblemError(
      422,
      'order-too-large',
      `The order would be ${bytes} bytes as JSON; an order is limited to ${MAX_ORDER_BYTES}.`,
      { extensions: { limit: MAX_ORDER_BYTES, size: bytes } },
    );
  }
  return order;
}

/** The order's totals, or a 422 naming every line and total over `MAX_MONEY`. */
export function computeTotals(details: Details, currency: string): Order['totals'] {
  const over: ProblemDetail[] = [];
  const overLimit = (path: string, amount: number) => {
    if (amount > MAX_MONEY)
      over.push({ path, message: `${amount} is over the limit of ${MAX_MONEY} minor units.` });
  };
  const lineTotals = details.items.map((item) => (item.unitPrice ?? 0) * item.quantity);
  lineTotals.forEach((total, index) => {
    overLimit(`/items/${index}`, total);
  });
  const items = lineTotals.reduce((sum, total) => sum + total, 0);
  const services = details.services.reduce((sum, service) => sum + (service.price ?? 0), 0);
  if (over.length === 0) {
    overLimit('/totals/items', items);
    overLimit('/totals/services', services);
    overLimit('/totals/grand', items + services);
  }
  if (over.length > 0) {
    throw new ProblemError(
      422,
      'amount-too-large',
      `Amounts and totals are limited to ${MAX_MONEY} minor units.`,
      {
        errors: over,
      },
    );
  }
  return { currency, items, services, grand: items + services };
}

export function newOrder(input: {
  request: CreateOrderRequest;
  stage: string;
  workflowVersion: number;
  /** The built-in default's revision, for version 0. */
  workflowRevision?: number;
  now: Date;
}): Order {
  const { request, now } = input;
  const at = now.toISOString();
  const details = {
    items: request.items.map((item) => ({
      ...item,
      backordered: 0,
      status: 'pending' as const,
      readyQuantity: 0,
    })),
    services: request.services.map((service) => ({ ...service, status: 'pending' as const })),
  };
  return assertOrderFits({
    id: newId('ord', now.getTime()),
    stage: input.stage,
    version: 1,
    workflow: {
      version: input.workflowVersion,
      ...(input.workflowRevision !== undefined ? { revision: input.workflowRevision } : {}),
    },
    ...(request.customer ? { customer: request.customer } : {}),
    ...details,
    ...(request.shipping ? { shipping: request.shipping } : {}),
    shipments: [],
    holds: [],
    attachments: request.attachments,
    ...(request.notes !== undefined ? { notes: request.notes } : {}),
    metadata: request.metadata,
    totals: computeTotals(details, request.currency),
    actions: { state: 'none', failed: [] },
    createdAt: at,
    updatedAt: at,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7396 JSON merge-patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export const DETAIL_FIELDS = [
  'customer',
  'items',
  'services',
  'shipping',
  'attachments',
  'notes',
  'metadata',
] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

/**
 * Applies a merge-patch to an order's client-owned details and re-validates the result.
 * Items keep their backordered counts by SKU; totals are recomputed. `fields` narrows what
 * the patch may touch (a proposed change may not touch every detail); a field outside it is
 * one more problem in the same answer.
 */
export function applyPatch(
  order: Order,
  patch: PatchOrderRequest,
  now: Date,
  fields: readonly DetailField[] = DETAIL_FIELDS,
): { order: Order; changed: DetailField[] } {
  const current = Object.fromEntries(
    DETAIL_FIELDS.filter((field) => order[field] !== undefined).map((field) => [
      field,
      field === 'items'
        ? order.items.map(
            ({ backordered: _, status: _s, readyQuantity: _r, shippedQuantity: _q, ...item }) => item,
          )
        : field === 'services'
          ? order.services.map(({ status: _s, ...service }) => service)
          : order[field],
    ]),
  );
  const unknownFields: ProblemDetail[] = Object.keys(patch)
    .filter((field) => !(fields as readonly string[]).includes(field))
    .map((field) => ({
      path: `/${field}`,
      message: (DETAIL_FIELDS as readonly string[]).includes(field)
        ? `Cannot be changed here; only ${fields.join(', ')} can.`
        : 'Unknown field, or one the service owns.',
    }));
  const known = Object.fromEntries(
    Object.entries(patch).filter(([field]) => (fields as readonly string[]).includes(field)),
  );
  // Line progress is the service's (see applyProgress): an order read and sent back keeps it.
  for (const [field, owned] of [
    ['items', ['status', 'readyQuantity', 'shippedQuantity']],
    ['services', ['status']],
  ] as const) {
    const lines = known[field];
    if (!Array.isArray(lines)) continue;
    known[field] = lines.map((line) =>
      isPlainObject(line)
        ? Object.fromEntries(
            Object.entries(line).filter(([key]) => !(owned as readonly string[]).includes(key)),
          )
        : line,
    );
  }
  const merged = mergePatch(current, known) as Record<string, unknown>;
  merged.items ??= [];
  merged.services ??= [];
  merged.attachments ??= [];
  merged.metadata ??= {};
  const result = OrderDetails.safeParse(merged);
  const problemsFound = [...unknownFields, ...(result.success ? [] : issuesToProblems(result.error.issues))];
  if (!result.success || problemsFound.length > 0) {
    throw problems.validation(problemsFound, 'The patched order is not valid.');
  }
  const details = result.data;

  const changed = DETAIL_FIELDS.filter(
    (field) => canonicalJson(current[field] ?? null) !== canonicalJson(details[field] ?? null),
  );
  // Service-owned fields stay with their SKU or code; new lines start pending.
  const itemsBySku = new Map(order.items.map((item) => [item.sku, item]));
  const items = details.items.map((item) => {
    const before = itemsBySku.get(item.sku);
    return {
      ...item,
      backordered: before?.backordered ?? 0,
      status: before?.status ?? 'pending',
      readyQuantity: Math.min(before?.readyQuantity ?? 0, item.quantity),
      ...(before?.shippedQuantity !== undefined ? { shippedQuantity: before.shippedQuantity } : {}),
    };
  });
  const statusByCode = new Map(order.services.map((service) => [service.code, service.status]));
  const services = details.services.map((service) => ({
    ...service,
    status: statusByCode.get(service.code) ?? ('pending' as const),
  }));
  const { customer, shipping, notes, ...rest } = order;
  const next: Order = {
    ...rest,
    ...(details.customer ? { customer: details.customer } : {}),
    ...(details.shipping ? { shipping: details.shipping } : {}),
    ...(details.notes !== undefined ? { notes: details.notes } : {}),
    items,
    services,
    attachments: details.attachments,
    metadata: details.metadata,
    totals: computeTotals({ items, services }, order.totals.currency),
    version: order.version + 1,
    updatedAt: now.toISOString(),
  };
  assertOrderFits(next);
  return { order: next, changed };
}

/** Guards an edit: the stage must allow it and an If-Match must name the current version. */
export function assertEditable(
  order: Order,
  stageEditable: boolean,
  ifMatchVersion: number | undefined,
): void {
  if (ifMatchVersion !== undefined && ifMatchVersion !== order.version) {
    throw problems.preconditionFailed(
      `The order is at version ${order.version}, not ${ifMatchVersion}; fetch it again and retry.`,
    );
  }
  if (!stageEditable) {
    throw problems.conflict(`The order cannot be edited in stage "${order.stage}".`, { stage: order.stage });
  }
}

/** The line a progress request names: an item by SKU or a service by code. */
export type LineRef = { kind: 'item'; sku: string } | { kind: 'service'; code: string };

/**
 * Records a line's progress. An item's `quantity` (units ready) must lie within the item's
 * quantity and defaults to all of them when it is ready or done, to none when pending.
 * Unknown lines are a 404; a request that changes nothing returns `changed: false`.
 */
export function applyProgress(
  order: Order,
  line: LineRef,
  request: ItemProgressRequest,
  now: Date,
): { order: Order; changed: boolean; quantity?: number } {
  const next = { ...order, version: order.version + 1, updatedAt: now.toISOString() };
  if (line.kind === 'service') {
    const index = order.services.findIndex((service) => service.code === line.code);
    const service = order.services[index];
    if (!service) throw problems.notFound(`Service ${line.code} of order ${order.id}`);
    if ((service.status ?? 'pending') === request.status) return { order, changed: false };
    const services = order.services.with(index, { ...service, status: request.status });
    return { order: { ...next, services }, changed: true };
  }
  const index = order.items.findIndex((item) => item.sku === line.sku);
  const item = order.items[index];
  if (!item) throw problems.notFound(`Item ${line.sku} of order ${order.id}`);
  const quantity = request.quantity ?? (request.status === 'pending' ? 0 : item.quantity);
  if (quantity > item.quantity) {
    throw problems.validation(
      [
        {
          path: '/quantity',
          message: `The item has ${item.quantity} units; at most that many can be ready.`,
        },
      ],
      'The progress does not fit the item.',
    );
  }
  const status: LineStatus = request.status;
  if ((item.status ?? 'pending') === status && (item.readyQuantity ?? 0) === quantity) {
    return { order, changed: false, quantity };
  }
  const items = order.items.with(index, { ...item, status, readyQuantity: quantity });
  return { order: { ...next, items }, changed: true, quantity };
}
