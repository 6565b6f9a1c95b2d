/**
 * What conditions may refer to and how `matches` patterns read. Shared by the schema
 * (to reject what cannot be evaluated), the TypeScript evaluator and the ASL compiler.
 */

/**
 * Every field a condition may compare, with the type it has in the condition view.
 * Adding a field means adding it here and to `conditionView`.
 */
export const CONDITION_FIELDS = {
  'totals.grand': 'number',
  'totals.currency': 'string',
  'customer.email': 'string',
  'shipping.method': 'string',
  itemCount: 'number',
  backorderedCount: 'number',
  /** Item and service lines still `pending`. */
  pendingItemCount: 'number',
  /** Item and service lines `ready` or `done`. */
  readyItemCount: 'number',
  /** Every item and service line is `ready` or `done` (true for an order without lines). */
  allItemsReady: 'boolean',
  /** The order has at least one active hold. */
  onHold: 'boolean',
  /** Every item's shipped quantity equals its quantity (true for an order without items). */
  allItemsShipped: 'boolean',
} as const satisfies Record<string, 'number' | 'string' | 'boolean'>;

/** `metadata.<key>` reaches the order's free-form metadata; its values may have any type. */
export const METADATA_FIELD_PREFIX = 'metadata.';

/** Metadata keys that are safe as plain JSONPath member names in Step Functions. */
export const METADATA_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type ConditionFieldType = 'number' | 'string' | 'boolean' | 'any';

/** The type a field holds, or undefined when conditions may not refer to it. */
export function conditionFieldType(field: string): ConditionFieldType | undefined {
  if (Object.hasOwn(CONDITION_FIELDS, field)) return CONDITION_FIELDS[field as keyof typeof CONDITION_FIELDS];
  if (field.startsWith(METADATA_FIELD_PREFIX)) {
    return METADATA_KEY_PATTERN.test(field.slice(METADATA_FIELD_PREFIX.length)) ? 'any' : undefined;
  }
  return undefined;
}

/** A `matches` pattern split into literal text and `*` wildcards. */
export type PatternToken = { literal: string } | 'wildcard';

/**
 * Reads a pattern the way Step Functions' StringMatches does: `*` matches any run of
 * characters, `\*` is a literal star and `\\` a literal backslash. Any other backslash
 * and `?` are rejected: Step Functions reads `?` literally but the local interpreter
 * as a one-character wildcard, so allowing it would make the two runtimes disagree.
 */
export function parseMatchesPattern(pattern: string): { tokens: PatternToken[] } | { error: string } {
  const tokens: PatternToken[] = [];
  let literal = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\') {
        return { error: 'a backslash in a pattern must escape `*` or another backslash' };
      }
      literal += next;
      index++;
    } else if (char === '?') {
      return { error: '`?` is not allowed in a pattern (Step Functions has no single-character wildcard)' };
    } else if (char === '*') {
      if (literal) tokens.push({ literal });
      literal = '';
      if (tokens.at(-1) !== 'wildcard') tokens.push('wildcard');
    } else {
      literal += char;
    }
  }
  if (literal) tokens.push({ literal });
  return { tokens };
}
