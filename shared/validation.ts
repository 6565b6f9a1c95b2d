import type * as z from 'zod';
import { type ProblemDetail, problems } from './problem.js';

function pointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object ({ … })',
  array: 'a list ([ … ])',
  null: 'null',
};

const UNITS: Record<string, [string, string]> = {
  string: ['character', 'characters'],
  array: ['entry', 'entries'],
  set: ['entry', 'entries'],
  file: ['byte', 'bytes'],
};

/**
 * What a zod issue means, in words a person who wrote the document understands (a lower-case
 * phrase; callers make it a sentence). A message the schema itself gives is kept; zod's own
 * wording ("Invalid option: expected one of …", "Too small: expected …") is replaced.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too (big|small))\b/.test(issue.message)) return issue.message;
  const field = issue.path.findLast((segment) => typeof segment === 'string');
  const phrase = zodPhrase(issue);
  return field === undefined ? `the value ${phrase}` : `${field} ${phrase}`;
}

function zodPhrase(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const [one, many] = UNITS[issue.origin] ?? ['', ''];
      const unit = one ? ` ${Number(bound) === 1 ? one : many}` : '';
      const counted = issue.origin === 'array' || issue.origin === 'set';
      if (issue.code === 'too_small') {
        return `${counted ? 'needs' : 'must be'} ${inclusive ? 'at least' : 'more than'} ${bound}${unit}`;
      }
      return `${counted ? 'takes' : 'must be'} ${inclusive ? 'at most' : 'less than'} ${bound}${unit}`;
    }
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'is not written in the expected form'
        : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return 'matches none of the forms allowed here';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return 'is not a value allowed here';
  }
}

/** Field names keep their case ("onError"), so a phrase only gains its full stop. */
export const sentence = (phrase: string) => (/[.!?]$/.test(phrase) ? phrase : `${phrase}.`);

/** Every zod issue as a problem located by JSON pointer; unknown keys get one problem each. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix = ''): ProblemDetail[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: `${prefix}${pointer([...issue.path, key])}`,
        message: 'Unknown field.',
      }));
    }
    return [{ path: `${prefix}${pointer(issue.path)}`, message: sentence(issueMessage(issue)) }];
  });
}

/** Parses or throws a 400 problem listing every issue; never lets a zod error become a 500. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  detail?: string,
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw problems.validation(issuesToProblems(result.error.issues, prefix), detail);
  return result.data;
}
