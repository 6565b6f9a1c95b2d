/**
 * A workflow's rules in words for the people who run it (the diagram): conditions
 * ("total under £500.00"), durations ("14 days") and guards.
 */
import { formatMoney } from '../money.js';
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

/**
 * Totals are minor units: 50000 reads as £500.00 in the currency the condition itself tests
 * (`totals.currency eq "GBP"` beside it), else the one the diagram is drawn for, else 500.00.
 */
function valueInWords(field: string, value: string | number | boolean, currency?: string): string {
  if (typeof value === 'number' && field.startsWith('totals.')) {
    return currency ? formatMoney(value, currency, 'en') : (value / 100).toFixed(2);
  }
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** The currency a group of conditions all hold to, when one of them tests it. */
function currencyTested(conditions: Condition[]): string | undefined {
  for (const condition of conditions) {
    if ('field' in condition && condition.field === 'totals.currency' && condition.op === 'eq') {
      return typeof condition.value === 'string' ? condition.value : undefined;
    }
  }
  return undefined;
}

export function conditionInWords(condition: Condition, currency?: string): string {
  if ('all' in condition) {
    const tested = currencyTested(condition.all) ?? currency;
    return condition.all.map((part) => conditionInWords(part, tested)).join(' and ');
  }
  if ('any' in condition)
    return `(${condition.any.map((part) => conditionInWords(part, currency)).join(' or ')})`;
  if ('not' in condition) return `not (${conditionInWords(condition.not, currency)})`;
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
      return `${field} ${OP_WORDS[condition.op]} ${valueInWords(condition.field, condition.value, currency)}`;
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
export function guardsInWords(transition: Transition, currency?: string): string[] {
  const words: string[] = [];
  const when = transition.when && conditionInWords(transition.when, currency);
  if (transition.auto) words.push(when ? `auto if ${when}` : 'auto');
  else if (when) words.push(`if ${when}`);
  if (transition.roles) words.push(`by ${transition.roles.join(' or ')}`);
  if (transition.requires?.length) {
    words.push(`needs ${transition.requires.map((name) => REQUIREMENT_WORDS[name] ?? name).join(', ')}`);
  }
  return words;
}
