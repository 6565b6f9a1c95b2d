import type * as z from 'zod';
import { type ProblemDetail, problems } from './problem.js';

function pointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Every zod issue as a problem located by JSON pointer; unknown keys get one problem each. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix = ''): ProblemDetail[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: `${prefix}${pointer([...issue.path, key])}`,
        message: 'Unknown field.',
      }));
    }
    return [{ path: `${prefix}${pointer(issue.path)}`, message: issue.message }];
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
