/**
 * Validates an uploaded workflow document: its shape (schema.ts), then the rules that
 * span stages, the graph, and the size of the compiled state machine. Every problem
 * is reported at once with a JSON pointer; nothing the input contains makes it throw.
 */
import type * as z from 'zod';
import { eventCatalog, HTTP_ACTION_EVENT_TYPE } from '../events/catalog.js';
import { issueMessage } from '../validation.js';
import { checkUrlSyntax } from '../webhooks/url-safety.js';
import { compileWorkflow } from './compile.js';
import { MAX_CONDITION_DEPTH, type Workflow, workflowDocumentSchema } from './schema.js';

export interface ValidationIssue {
  /** JSON pointer into the document, e.g. `/stages/2/transitions/0/to`; `''` is the whole document. */
  path: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** The document with defaults applied, when valid. */
  workflow?: Workflow;
}

export interface ValidateOptions {
  /** Lets `http` actions call `http://127.0.0.1` / `http://localhost` (the local stack's switch). */
  allowLocalHttpUrls?: boolean;
}

/** Step Functions' limit on a state machine definition. */
export const MAX_ASL_BYTES = 1_048_576;

/** Longer than any real table name or Lambda ARN, so the size check errs on the safe side. */
const SIZE_CHECK_TARGETS = {
  tableName: 't'.repeat(255),
  taskFunctionArn: `arn:aws:lambda:ap-southeast-2:123456789012:function:${'f'.repeat(64)}:${'v'.repeat(128)}`,
};

/** Far beyond any sensible document; keeps the checks below cheap and their recursion shallow. */
const MAX_DOCUMENT_DEPTH = 64;
const MAX_DOCUMENT_NODES = 200_000;

export function validateWorkflow(doc: unknown, options: ValidateOptions = {}): ValidationResult {
  try {
    return checkDocument(doc, options);
  } catch {
    // Only exotic inputs get here (a getter or proxy that throws); they are not documents.
    return {
      valid: false,
      errors: [{ path: '', message: 'the document is not plain JSON data' }],
      warnings: [],
    };
  }
}

function checkDocument(doc: unknown, options: ValidateOptions): ValidationResult {
  const tooBig = boundsProblem(doc);
  if (tooBig) return { valid: false, errors: [tooBig], warnings: [] };

  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const parsed = workflowDocumentSchema.safeParse(doc);
  if (!parsed.success) errors.push(...parsed.error.issues.flatMap((issue) => fromZodIssue(issue, doc)));
  crossStageProblems(doc, errors, warnings, options);

  const unique = (issues: ValidationIssue[]) => [
    ...new Map(issues.map((issue) => [`${issue.path}\n${issue.message}`, issue])).values(),
  ];
  if (errors.length > 0 || !parsed.success) {
    return { valid: false, errors: unique(errors), warnings: unique(warnings) };
  }
  const bytes = Buffer.byteLength(JSON.stringify(compileWorkflow(parsed.data, SIZE_CHECK_TARGETS)));
  if (bytes > MAX_ASL_BYTES) {
    const message = `the compiled state machine would be about ${bytes} bytes; Step Functions allows ${MAX_ASL_BYTES}`;
    return { valid: false, errors: [{ path: '', message }], warnings: unique(warnings) };
  }
  return { valid: true, errors: [], warnings: unique(warnings), workflow: parsed.data };
}

/** Walks the input without recursion to reject what is too deep or too large to be a document. */
function boundsProblem(doc: unknown): ValidationIssue | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: doc, path: [] }];
  let nodes = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    nodes++;
    if (nodes > MAX_DOCUMENT_NODES)
      return { path: '', message: `the document has more than ${MAX_DOCUMENT_NODES} values` };
    const { value, path } = next;
    // DynamoDB holds numbers of magnitude 1e-130 to 9.99e125; others would fail the publish with a 500.
    if (typeof value === 'number' && (Math.abs(value) >= 1e126 || (value !== 0 && Math.abs(value) < 1e-130)))
      return { path: pointer(path), message: `${value} is outside the numbers a workflow can hold` };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_DOCUMENT_DEPTH) {
      return { path: pointer(path), message: `the document nests deeper than ${MAX_DOCUMENT_DEPTH} levels` };
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_DOCUMENT_NODES)
        return { path: pointer(path), message: 'the array is far too long' };
      value.forEach((item, index) => {
        pending.push({ value: item, path: [...path, index] });
      });
    } else {
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

function fromZodIssue(issue: z.core.$ZodIssue, doc: unknown): ValidationIssue[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: pointer([...path, key]), message: `unknown field "${key}"` }));
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'type') {
    const actual = at(doc, path);
    const types = (issue as { options?: unknown[] }).options ?? [];
    return [
      {
        path: pointer(path),
        message: `unknown action type ${JSON.stringify(actual) ?? 'undefined'}; expected one of ${types.join(', ')}`,
      },
    ];
  }
  if (issue.code === 'invalid_type' && at(doc, path) === undefined) {
    return [{ path: pointer(path), message: `${String(path.at(-1) ?? 'the document')} is required` }];
  }
  return [{ path: pointer(path), message: issueMessage(issue) }];
}

// Rules across stages. They read the raw document defensively, so that they run
// (and report) even where other parts of the document have shape errors.

type RawObject = Record<string, unknown>;
const isObject = (value: unknown): value is RawObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function crossStageProblems(
  doc: unknown,
  errors: ValidationIssue[],
  warnings: ValidationIssue[],
  options: ValidateOptions,
): void {
  if (!isObject(doc)) return;
  const stages = list(doc.stages).map((raw, index) => {
    const stage = isObject(raw) ? raw : {};
    return {
      index,
      id: text(stage.id),
      final: stage.final === true,
      raw: stage,
      transitions: list(stage.transitions),
    };
  });

  const firstIndexOf = new Map<string, number>();
  for (const stage of stages) {
    if (stage.id === undefined) continue;
    const first = firstIndexOf.get(stage.id);
    if (first === undefined) firstIndexOf.set(stage.id, stage.index);
    else
      errors.push({
        path: `/stages/${stage.index}/id`,
        message: `duplicate stage id "${stage.id}" (also /stages/${first})`,
      });
  }
  const initialStage = text(doc.initialStage);
  if (initialStage !== undefined && !firstIndexOf.has(initialStage)) {
    errors.push({ path: '/initialStage', message: `no stage has the id "${initialStage}"` });
  }

  const edges = new Map<string, Set<string>>();
  /** Auto targets of each stage that always moves on by itself (it has an auto transition without `when`). */
  const alwaysMovesOn = new Map<string, { index: number; targets: Set<string> }>();
  for (const stage of stages) {
    const base = `/stages/${stage.index}`;
    const targets = new Set<string>();
    if (stage.final && stage.transitions.length > 0) {
      errors.push({ path: `${base}/transitions`, message: 'a final stage has no transitions' });
    }
    if (!stage.final && stage.transitions.length === 0) {
      errors.push({
        path: `${base}/transitions`,
        message: 'a stage that is not final needs at least one transition',
      });
    }
    const seen = { manual: new Set<string>(), auto: new Set<string>() };
    let unconditionalAuto: number | undefined;
    stage.transitions.forEach((raw, index) => {
      if (!isObject(raw)) return;
      const path = `${base}/transitions/${index}`;
      const to = text(raw.to);
      const auto = raw.auto === true;
      if (to !== undefined) {
        if (!firstIndexOf.has(to))
          errors.push({ path: `${path}/to`, message: `no stage has the id "${to}"` });
        else if (to === stage.id)
          errors.push({ path: `${path}/to`, message: 'a stage cannot transition to itself' });
        else targets.add(to);
        const kind = auto ? 'auto' : 'manual';
        if (seen[kind].has(to)) {
          errors.push({
            path: `${path}/to`,
            message: `another ${kind} transition of this stage already goes to "${to}"`,
          });
        }
        seen[kind].add(to);
      }
      if (raw.when !== undefined) conditionDepthProblem(raw.when, `${path}/when`, 1, errors);
      if (!auto) return;
      if (unconditionalAuto !== undefined) {
        warnings.push({
          path,
          message: `never taken: auto transition ${unconditionalAuto} of this stage has no \`when\` and is tried first`,
        });
      }
      if (raw.when === undefined) unconditionalAuto ??= index;
      if (raw.roles !== undefined) {
        warnings.push({ path: `${path}/roles`, message: 'roles are ignored on auto transitions' });
      }
      if (raw.requires !== undefined) {
        warnings.push({
          path: `${path}/requires`,
          message: 'requires is only checked on manual transitions; use `when` to route auto transitions',
        });
      }
    });
    if (unconditionalAuto !== undefined && seen.manual.size > 0) {
      warnings.push({
        path: `${base}/transitions`,
        message: `the order never waits in "${stage.id}" (auto transition ${unconditionalAuto} always applies), so its manual transitions cannot be requested`,
      });
    }
    const allTargets = new Set([...seen.manual, ...seen.auto]);
    const timeout = isObject(stage.raw.timeout) ? stage.raw.timeout : undefined;
    const timeoutTo = text(timeout?.to);
    if (timeoutTo !== undefined && !allTargets.has(timeoutTo)) {
      errors.push({
        path: `${base}/timeout/to`,
        message: `"${timeoutTo}" is not a transition target of this stage`,
      });
    }
    if (unconditionalAuto !== undefined && stage.id !== undefined) {
      alwaysMovesOn.set(stage.id, { index: stage.index, targets: seen.auto });
    }
    checkActions(stage.raw, base, allTargets, errors, options);
    list(stage.raw.emits).forEach((raw, index) => {
      const type = text(raw);
      if (type !== undefined && isBuiltInEventType(type) && !EMITTABLE_BUILT_IN_TYPES.has(type)) {
        errors.push({ path: `${base}/emits/${index}`, message: builtInEventMessage(type) });
      }
    });
    if (stage.id !== undefined && firstIndexOf.get(stage.id) === stage.index) edges.set(stage.id, targets);
  }

  graphProblems(stages, edges, initialStage, errors, warnings);
  endlessAutoLoops(alwaysMovesOn, errors);
}

/**
 * A loop of auto transitions through stages that each always move on by themselves can run
 * forever: nothing outside the order has to happen for it to go round again.
 */
function endlessAutoLoops(
  alwaysMovesOn: Map<string, { index: number; targets: Set<string> }>,
  errors: ValidationIssue[],
): void {
  for (const [start, { index }] of alwaysMovesOn) {
    // Breadth-first from `start` through such stages only, back to `start`.
    const cameFrom = new Map<string, string>();
    const pending = [start];
    let loop: string[] | undefined;
    for (let at = pending.shift(); at !== undefined && !loop; at = pending.shift()) {
      for (const next of alwaysMovesOn.get(at)?.targets ?? []) {
        if (next === start) {
          loop = [start];
          for (
            let step: string | undefined = at;
            step !== start && step !== undefined;
            step = cameFrom.get(step)
          ) {
            loop.splice(1, 0, step);
          }
          loop.push(start);
          break;
        }
        if (alwaysMovesOn.has(next) && !cameFrom.has(next)) {
          cameFrom.set(next, at);
          pending.push(next);
        }
      }
    }
    if (loop) {
      errors.push({
        path: `/stages/${index}/transitions`,
        message: `auto transitions can loop forever: ${loop.map((id) => `"${id}"`).join(' → ')} (every stage on it has an auto transition without \`when\`); give one of them a condition or make it manual`,
      });
    }
  }
}

function checkActions(
  stage: RawObject,
  base: string,
  targets: Set<string>,
  errors: ValidationIssue[],
  options: ValidateOptions,
): void {
  const ids = new Map<string, number>();
  list(stage.onEnter).forEach((raw, index) => {
    if (!isObject(raw)) return;
    const path = `${base}/onEnter/${index}`;
    const id = text(raw.id) ?? `${text(raw.type) ?? 'action'}-${index}`;
    const first = ids.get(id);
    if (first !== undefined) {
      errors.push({
        path: `${path}/id`,
        message: `duplicate action id "${id}" (also ${base}/onEnter/${first})`,
      });
    } else ids.set(id, index);
    const onError = isObject(raw.onError) ? raw.onError : undefined;
    const transitionTo = text(onError?.transitionTo);
    if (transitionTo !== undefined && !targets.has(transitionTo)) {
      errors.push({
        path: `${path}/onError/transitionTo`,
        message: `"${transitionTo}" is not a transition target of this stage`,
      });
    }
    const undo = raw.type === 'http' && isObject(raw.undo) ? raw.undo : undefined;
    // The undo URL follows the same rules as the action's own, at publish and at call time.
    for (const [field, url] of [
      ['url', raw.type === 'http' ? text(raw.url) : undefined],
      ['undo/url', text(undo?.url)],
    ] as const) {
      if (url === undefined || !URL.canParse(url)) continue;
      const syntax = checkUrlSyntax(url, { allowLocal: options.allowLocalHttpUrls === true });
      if (!syntax.ok)
        errors.push(...syntax.problems.map((message) => ({ path: `${path}/${field}`, message })));
    }
    const event = raw.type === 'notify' ? text(raw.event) : undefined;
    if (event !== undefined && isBuiltInEventType(event)) {
      errors.push({ path: `${path}/event`, message: builtInEventMessage(event) });
    }
  });
}

/**
 * Built-in event types carry data the service vouches for, so a workflow may not publish
 * them; `order.shipped` is the one a stage's `emits` names (the contract's default workflow),
 * and the service builds its data with the shipment.
 */
const EMITTABLE_BUILT_IN_TYPES = new Set(['order.shipped']);

function isBuiltInEventType(type: string): boolean {
  return Object.hasOwn(eventCatalog, type) || type === HTTP_ACTION_EVENT_TYPE;
}

function builtInEventMessage(type: string): string {
  return `"${type}" is a built-in event type; custom events need their own name (such as "shop.${type.split('.').pop()}")`;
}

function conditionDepthProblem(
  condition: unknown,
  path: string,
  depth: number,
  errors: ValidationIssue[],
): void {
  if (!isObject(condition)) return;
  if (depth > MAX_CONDITION_DEPTH) {
    errors.push({ path, message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels deep` });
    return;
  }
  for (const key of ['all', 'any'] as const) {
    list(condition[key]).forEach((part, index) => {
      conditionDepthProblem(part, `${path}/${key}/${index}`, depth + 1, errors);
    });
  }
  conditionDepthProblem(condition.not, `${path}/not`, depth + 1, errors);
}

function graphProblems(
  stages: { index: number; id: string | undefined; final: boolean }[],
  edges: Map<string, Set<string>>,
  initialStage: string | undefined,
  errors: ValidationIssue[],
  warnings: ValidationIssue[],
): void {
  const reverse = new Map<string, string[]>();
  for (const [from, targets] of edges) {
    for (const to of targets) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  }
  const finals = stages
    .filter((stage) => stage.final && stage.id !== undefined)
    .map((stage) => stage.id as string);
  const reachesFinal = reachable(finals, (id) => reverse.get(id) ?? []);
  const fromInitial =
    initialStage !== undefined && edges.has(initialStage)
      ? reachable([initialStage], (id) => [...(edges.get(id) ?? [])])
      : undefined;
  for (const stage of stages) {
    if (stage.id === undefined || !edges.has(stage.id)) continue;
    if (!stage.final && !reachesFinal.has(stage.id)) {
      errors.push({
        path: `/stages/${stage.index}`,
        message: `no final stage can be reached from "${stage.id}"`,
      });
    }
    if (fromInitial && !fromInitial.has(stage.id)) {
      warnings.push({
        path: `/stages/${stage.index}`,
        message: `"${stage.id}" cannot be reached from the initial stage "${initialStage}"`,
      });
    }
  }
}

function reachable(start: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(start);
  const pending = [...start];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const other of next(id)) {
      if (!seen.has(other)) {
        seen.add(other);
        pending.push(other);
      }
    }
  }
  return seen;
}

function at(doc: unknown, path: (string | number)[]): unknown {
  let current = doc;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as RawObject)[segment];
  }
  return current;
}

/** RFC 6901 JSON pointer. */
function pointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
