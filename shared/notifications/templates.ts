import { toMajor } from '../money.js';
import type { Order } from '../orders/schema.js';

/**
 * The placeholders an `email` action's `subject` and `text` may use (workflow-format.md).
 * Templates are logic-less: `{{name}}` is replaced by a value and nothing else happens.
 */
const ORDER_FIELDS = [
  'id',
  'stage',
  'customer.name',
  'customer.email',
  'customer.phone',
  'shipping.method',
  'itemCount',
  'totals.grand',
  'totals.items',
  'totals.services',
  'totals.currency',
  'createdAt',
] as const;
const STAGE_FIELDS = ['id', 'label'] as const;
type Placeholder = `order.${(typeof ORDER_FIELDS)[number]}` | `stage.${(typeof STAGE_FIELDS)[number]}`;
export const TEMPLATE_PLACEHOLDERS: readonly Placeholder[] = [
  ...ORDER_FIELDS.map((field) => `order.${field}` as const),
  ...STAGE_FIELDS.map((field) => `stage.${field}` as const),
];
/** `order.metadata.<key>` names one metadata value (empty when the order lacks it). */
const METADATA_PLACEHOLDER = /^order\.metadata\.[A-Za-z0-9_.-]{1,40}$/;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);

function isKnown(name: string): boolean {
  return KNOWN.has(name) || METADATA_PLACEHOLDER.test(name);
}

/** What is wrong with a template: each unknown placeholder, and braces that open no placeholder. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!isKnown(name)) {
      problems.push(
        `unknown placeholder {{${name}}}: use ${TEMPLATE_PLACEHOLDERS.join(', ')} or order.metadata.<key>`,
      );
    }
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    problems.push('"{{" and "}}" only enclose a placeholder such as {{order.id}}');
  }
  return problems;
}

/** Every placeholder's value for one order entering one stage. */
export function templateValues(order: Order, stage: { id: string; label: string }): (name: string) => string {
  const { currency } = order.totals;
  const orderValues: Record<(typeof ORDER_FIELDS)[number], string> = {
    id: order.id,
    stage: order.stage,
    'customer.name': order.customer?.name ?? '',
    'customer.email': order.customer?.email ?? '',
    'customer.phone': order.customer?.phone ?? '',
    'shipping.method': order.shipping?.method ?? '',
    itemCount: String(order.items.length),
    'totals.grand': toMajor(order.totals.grand, currency),
    'totals.items': toMajor(order.totals.items, currency),
    'totals.services': toMajor(order.totals.services, currency),
    'totals.currency': currency,
    createdAt: order.createdAt,
  };
  const values = new Map<string, string>([
    ...Object.entries(orderValues).map(([field, value]) => [`order.${field}`, value] as const),
    [`stage.id`, stage.id],
    [`stage.label`, stage.label],
  ]);
  return (name) =>
    name.startsWith('order.metadata.')
      ? (order.metadata[name.slice('order.metadata.'.length)] ?? '')
      : (values.get(name) ?? '');
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Fills a validated template as plain text (the email's text part). */
export function renderText(template: string, lookup: (name: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => lookup(name));
}

/** A subject is one line whatever the values hold. */
export function renderSubject(template: string, lookup: (name: string) => string): string {
  return renderText(template, lookup)
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

/**
 * The HTML body for a text template: the template's own text escaped too, line breaks kept,
 * and every value escaped, so a customer named `<script>` is shown, never run.
 */
export function renderHtml(template: string, lookup: (name: string) => string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(escapeHtml(template.slice(last, match.index)), escapeHtml(lookup(match[1] as string)));
    last = (match.index as number) + match[0].length;
  }
  parts.push(escapeHtml(template.slice(last)));
  return `<!doctype html><html><body><p>${parts.join('').replace(/\r?\n/g, '<br>\n')}</p></body></html>`;
}
