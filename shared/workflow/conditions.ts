/**
 * What workflow conditions see of an order, and how they are evaluated in TypeScript
 * (manual-transition guards in the API). The ASL compiler (compile.ts) emits Choice
 * rules with exactly the same meaning, and a property test runs both side by side.
 *
 * Semantics, chosen so that Step Functions can express each of them exactly:
 * - A comparison on a missing field, or on a field holding a different JSON type
 *   than the value, is false. Numbers compare numerically; strings compare by UTF-16
 *   code unit, as JavaScript and the Step Functions interpreters do.
 * - `ne` is `not eq`: true when the field is missing or of another type. So
 *   `{ field: 'shipping.method', op: 'ne', value: 'pickup' }` holds for an order
 *   without shipping, and `ne` and `not` + `eq` are interchangeable.
 * - `exists` is true when the field is present, whatever its value (null included).
 * - `matches` needs a string field; `*` matches any run of characters (none
 *   included), `\*` a literal star and `\\` a literal backslash.
 * - Booleans (`allItemsReady`) take `eq` and `ne` only, like ASL's BooleanEquals.
 * - `all` is true when every part holds, `any` when one does, `not` negates.
 *
 * Line progress counts item AND service lines together: `pendingItemCount +
 * readyItemCount` is the number of items plus services, and `allItemsReady` is
 * `pendingItemCount = 0` (so it holds for an order without lines). A line without a
 * `status` (stored before statuses existed) counts as pending. `onHold` is true while the
 * order has an active hold; `allItemsShipped` once every item's `shippedQuantity` reached its
 * quantity (so, like `allItemsReady`, it holds for an order without items).
 */
import { parseMatchesPattern } from './condition-language.js';
import type { Condition } from './schema.js';

/** The least of an order that the view needs; the full order type satisfies it. */
export interface OrderForConditions {
  items: readonly { quantity: number; backordered?: number; status?: string; shippedQuantity?: number }[];
  /** Active holds; orders stored before holds existed have none. */
  holds?: readonly unknown[];
  services?: readonly { status?: string }[];
  totals: { grand: number; currency: string };
  customer?: { email?: string };
  shipping?: { method?: string };
  metadata?: Record<string, unknown>;
}

/** THE projection conditions see; the state machine carries the same object at `$.order`. */
export interface ConditionView {
  totals: { grand: number; currency: string };
  customer: { email?: string };
  shipping: { method?: string };
  metadata: Record<string, unknown>;
  /** Number of item lines. */
  itemCount: number;
  /** Number of item lines with a backordered quantity. */
  backorderedCount: number;
  /** Item and service lines that are still pending. */
  pendingItemCount: number;
  /** Item and service lines that are ready or done. */
  readyItemCount: number;
  /** No item or service line is pending. */
  allItemsReady: boolean;
  /** The order has an active hold. */
  onHold: boolean;
  /** Every item is shipped in full (true for an order without items). */
  allItemsShipped: boolean;
}

/** A line is ready when its status says `ready` or `done`; anything else (or none) is pending. */
export function isLineReady(line: { status?: string }): boolean {
  return line.status === 'ready' || line.status === 'done';
}

export function conditionView(order: OrderForConditions): ConditionView {
  const email = order.customer?.email;
  const method = order.shipping?.method;
  const lines = [...order.items, ...(order.services ?? [])];
  const readyItemCount = lines.filter(isLineReady).length;
  return {
    totals: { grand: order.totals.grand, currency: order.totals.currency },
    customer: email === undefined ? {} : { email },
    shipping: method === undefined ? {} : { method },
    metadata: { ...order.metadata },
    itemCount: order.items.length,
    backorderedCount: order.items.filter((item) => (item.backordered ?? 0) > 0).length,
    pendingItemCount: lines.length - readyItemCount,
    readyItemCount,
    allItemsReady: readyItemCount === lines.length,
    onHold: (order.holds?.length ?? 0) > 0,
    allItemsShipped: order.items.every((item) => (item.shippedQuantity ?? 0) >= item.quantity),
  };
}

/** `view` is unknown because it may arrive from outside (state machine input, stored orders). */
export function evaluateCondition(condition: Condition, view: unknown): boolean {
  if ('all' in condition) return condition.all.every((part) => evaluateCondition(part, view));
  if ('any' in condition) return condition.any.some((part) => evaluateCondition(part, view));
  if ('not' in condition) return !evaluateCondition(condition.not, view);
  const found = lookUp(view, condition.field);
  if (condition.op === 'exists') return found.present;
  if (condition.op === 'ne') return !evaluateCondition({ ...condition, op: 'eq' }, view);
  const actual = found.present ? found.value : undefined;
  if (condition.op === 'matches')
    return typeof actual === 'string' && matchesPattern(actual, condition.value);
  const expected = condition.value;
  if (typeof actual !== typeof expected) return false;
  // Booleans have no order: only `eq` (and `ne`, above) compare them.
  if (typeof expected === 'boolean') return condition.op === 'eq' && actual === expected;
  const left = actual as typeof expected;
  switch (condition.op) {
    case 'eq':
      return left === expected;
    case 'lt':
      return left < expected;
    case 'lte':
      return left <= expected;
    case 'gt':
      return left > expected;
    case 'gte':
      return left >= expected;
  }
}

/** Follows a dotted path through own properties only, so `metadata.__proto__` finds nothing inherited. */
function lookUp(view: unknown, field: string): { present: true; value: unknown } | { present: false } {
  let current: unknown = view;
  for (const key of field.split('.')) {
    if (
      typeof current !== 'object' ||
      current === null ||
      Array.isArray(current) ||
      !Object.hasOwn(current, key)
    ) {
      return { present: false };
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined ? { present: false } : { present: true, value: current };
}

/**
 * Glob matching without regular expressions: literal runs are found left to right,
 * which is linear in the text per run, so a hostile pattern cannot backtrack for long.
 */
function matchesPattern(text: string, pattern: string): boolean {
  const parsed = parseMatchesPattern(pattern);
  if ('error' in parsed) return false;
  const { tokens } = parsed;
  if (!tokens.includes('wildcard'))
    return text === tokens.map((token) => (token as { literal: string }).literal).join('');
  const literals = tokens
    .filter((token): token is { literal: string } => token !== 'wildcard')
    .map((t) => t.literal);
  let start = 0;
  let end = text.length;
  if (tokens[0] !== 'wildcard') {
    const prefix = literals.shift() as string;
    if (!text.startsWith(prefix)) return false;
    start = prefix.length;
  }
  if (tokens.at(-1) !== 'wildcard') {
    const suffix = literals.pop() as string;
    if (!text.endsWith(suffix) || text.length - suffix.length < start) return false;
    end = text.length - suffix.length;
  }
  for (const literal of literals) {
    const at = text.indexOf(literal, start);
    if (at < 0 || at + literal.length > end) return false;
    start = at + literal.length;
  }
  return true;
}
