import { newId } from '../ids.js';
import { canonicalJson } from '../json.js';
import { type ProblemDetail, problems } from '../problem.js';
import { issuesToProblems } from '../validation.js';
import { type CreateOrderRequest, type Order, OrderDetails, type PatchOrderRequest } from './schema.js';

type Details = Pick<Order, 'items' | 'services'>;

export function computeTotals(details: Details, currency: string): Order['totals'] {
  const items = details.items.reduce((sum, item) => sum + (item.unitPrice ?? 0) * item.quantity, 0);
  const services = details.services.reduce((sum, service) => sum + (service.price ?? 0), 0);
  return { currency, items, services, grand: items + services };
}

export function newOrder(input: {
  request: CreateOrderRequest;
  stage: string;
  workflowVersion: number;
  now: Date;
}): Order {
  const { request, now } = input;
  const at = now.toISOString();
  const details = {
    items: request.items.map((item) => ({ ...item, backordered: 0 })),
    services: request.services,
  };
  return {
    id: newId('ord', now.getTime()),
    stage: input.stage,
    version: 1,
    workflow: { version: input.workflowVersion },
    ...(request.customer ? { customer: request.customer } : {}),
    ...details,
    ...(request.shipping ? { shipping: request.shipping } : {}),
    shipments: [],
    attachments: request.attachments,
    ...(request.notes !== undefined ? { notes: request.notes } : {}),
    metadata: request.metadata,
    totals: computeTotals(details, request.currency),
    actions: { state: 'none', failed: [] },
    createdAt: at,
    updatedAt: at,
  };
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

const DETAIL_FIELDS = [
  'customer',
  'items',
  'services',
  'shipping',
  'attachments',
  'notes',
  'metadata',
] as const;

/**
 * Applies a merge-patch to an order's client-owned details and re-validates the result.
 * Items keep their backordered counts by SKU; totals are recomputed.
 */
export function applyPatch(
  order: Order,
  patch: PatchOrderRequest,
  now: Date,
): { order: Order; changed: string[] } {
  const current = Object.fromEntries(
    DETAIL_FIELDS.filter((field) => order[field] !== undefined).map((field) => [
      field,
      field === 'items' ? order.items.map(({ backordered: _, ...item }) => item) : order[field],
    ]),
  );
  const unknownFields: ProblemDetail[] = Object.keys(patch)
    .filter((field) => !(DETAIL_FIELDS as readonly string[]).includes(field))
    .map((field) => ({ path: `/${field}`, message: 'Unknown field, or one the service owns.' }));
  const known = Object.fromEntries(
    Object.entries(patch).filter(([field]) => (DETAIL_FIELDS as readonly string[]).includes(field)),
  );
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
  const backorderedBySku = new Map(order.items.map((item) => [item.sku, item.backordered]));
  const items = details.items.map((item) => ({ ...item, backordered: backorderedBySku.get(item.sku) ?? 0 }));
  const { customer, shipping, notes, ...rest } = order;
  const next: Order = {
    ...rest,
    ...(details.customer ? { customer: details.customer } : {}),
    ...(details.shipping ? { shipping: details.shipping } : {}),
    ...(details.notes !== undefined ? { notes: details.notes } : {}),
    items,
    services: details.services,
    attachments: details.attachments,
    metadata: details.metadata,
    totals: computeTotals({ items, services: details.services }, order.totals.currency),
    version: order.version + 1,
    updatedAt: now.toISOString(),
  };
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
