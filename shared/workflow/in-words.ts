/**
 * A workflow's rules in words for the people who run it (the diagram): conditions
 * ("total under 500.00"), durations ("14 days") and guards.
 */
import { durationSeconds } from './duration.js';
import type { Condition, Transition } from './schema.js';

const FIELD_WORDS: Record<string, string> = {
  'totals.grand': 'total',
  'totals.currency': 'currency',
  'customer.email': 'customer email',
  'shipping.method': 'shipping method',
  itemCount: 'number of lines',
  backorderedCount: 'backordered lines',
  pendingItemCount: 'pending lines',
  readyItemCount: 'ready lines',
  allItemsReady: 'all lines ready',
};
const OP_WORDS = {
  eq: 'is',
  ne: 'is not',
  lt: 'under',
  lte: 'at most',
  gt: 'over',
  gte: 'at least',
} as const;
const REQUIREMENT_WORDS: Record<string, string> = {
  items: 'items',
  customer: 'a customer',
  shippingAddress: 'a shipping address',
  pricing: 'prices',
  shipment: 'a shipment',
  attachments: 'attachments',
  itemsReady: 'every line ready',
};

const fieldInWords = (field: string) =>
  FIELD_WORDS[field] ?? (field.startsWith('metadata.') ? `metadata "${field.slice(9)}"` : field);

/** Totals are minor units: 50000 reads as 500.00 (in the order's currency). */
function valueInWords(field: string, value: string | number | boolean): string {
  if (typeof value === 'number' && field.startsWith('totals.')) return (value / 100).toFixed(2);
  return typeof value === 'string' ? `"${value}"` : String(value);
}

export function conditionInWords(condition: Condition): string {
  if ('all' in condition) return condition.all.map(conditionInWords).join(' and ');
  if ('any' in condition) return `(${condition.any.map(conditionInWords).join(' or ')})`;
  if ('not' in condition) return `not (${conditionInWords(condition.not)})`;
  const field = fieldInWords(condition.field);
  switch (condition.op) {
    case 'exists':
      return `${field} is set`;
    case 'matches':
      return `${field} matches "${condition.value}"`;
    default:
      if (typeof condition.value === 'boolean' && condition.field === 'allItemsReady') {
        return condition.value === (condition.op === 'eq') ? 'all lines ready' : 'not all lines ready';
      }
      return `${field} ${OP_WORDS[condition.op]} ${valueInWords(condition.field, condition.value)}`;
  }
}

const UNITS: [number, string][] = [
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

export function durationInWords(duration: string): string {
  let left = durationSeconds(duration);
  const parts: string[] = [];
  // Weeks only when exact: "14 days" reads better than "2 weeks" for a timeout written P14D.
  for (const [seconds, unit] of UNITS) {
    if (unit === 'week' && !duration.includes('W')) continue;
    const count = Math.floor(left / seconds);
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    left -= count * seconds;
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}

/** A transition's guards, one phrase each: who may take it, what it needs, when it holds. */
export function guardsInWords(transition: Transition): string[] {
  const words: string[] = [];
  if (transition.auto) words.push(transition.when ? `auto if ${conditionInWords(transition.when)}` : 'auto');
  else if (transition.when) words.push(`if ${conditionInWords(transition.when)}`);
  if (transition.roles) words.push(`by ${transition.roles.join(' or ')}`);
  if (transition.requires?.length) {
    words.push(`needs ${transition.requires.map((name) => REQUIREMENT_WORDS[name] ?? name).join(', ')}`);
  }
  return words;
}
