/**
 * The workflow document, `orderflow.workflow/v1` (spec/workflow-format.md), as zod
 * schemas. Parsing applies the spec's defaults, so a parsed `Workflow` has every
 * label, flag and action id filled in. Cross-stage rules (targets exist, the graph
 * reaches a final stage, ...) live in validate.ts, which reports them all at once.
 */
import * as z from 'zod';
import { ROLE_PATTERN, Role } from '../auth/role.js';
import { EVENT_TYPE_PATTERN } from '../events/catalog.js';
import { templateProblems } from '../notifications/templates.js';
import { conditionFieldType, parseMatchesPattern } from './condition-language.js';
import { parseDuration } from './duration.js';

export const WORKFLOW_FORMAT = 'orderflow.workflow/v1';
export const STAGE_ID_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
/** Short enough that state names built from a stage id and an action id stay within ASL's 80 characters. */
export const ACTION_ID_PATTERN = /^[a-z][a-z0-9_.-]{0,29}$/;
export const REQUIREMENTS = [
  'items',
  'customer',
  'shippingAddress',
  'pricing',
  'shipment',
  'attachments',
  'itemsReady',
] as const;
export const MIN_STAGES = 2;
export const MAX_STAGES = 100;
export const MAX_ON_ENTER_ACTIONS = 20;
/** The longest an `http` action may wait for its receiver. */
export const MAX_HTTP_TIMEOUT_SECONDS = 30;
/**
 * The longest one Task of a compiled workflow may run: every action of a stage in one Task,
 * each an `http` action taking its longest. The task function's timeout covers it.
 */
export const LONGEST_STEP_SECONDS = MAX_ON_ENTER_ACTIONS * MAX_HTTP_TIMEOUT_SECONDS;
export const MAX_CONDITION_DEPTH = 10;

export const durationSchema = z
  .string()
  .max(40)
  .check((ctx) => {
    const parsed = parseDuration(ctx.value);
    if (!parsed.ok) ctx.issues.push({ code: 'custom', message: parsed.message, input: ctx.value });
  });

export const stageIdSchema = z
  .string()
  .regex(STAGE_ID_PATTERN, { error: `a stage id matches ${STAGE_ID_PATTERN.source}` });

// Conditions ------------------------------------------------------------------

export const COMPARISON_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'exists', 'matches'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type RelationalOp = Exclude<ComparisonOp, 'exists' | 'matches'>;

export type Comparison =
  | { field: string; op: 'exists' }
  | { field: string; op: 'matches'; value: string }
  | { field: string; op: RelationalOp; value: string | number }
  | { field: string; op: 'eq' | 'ne'; value: boolean };
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Comparison;

/**
 * One object with every key optional, checked by hand, so that a broken condition
 * gets a precise message and path instead of "none of the alternatives matched".
 */
const conditionShape = z.strictObject({
  get all() {
    return z.array(conditionSchema).min(1).max(50).optional();
  },
  get any() {
    return z.array(conditionSchema).min(1).max(50).optional();
  },
  get not() {
    return conditionSchema.optional();
  },
  field: z.string().max(100).optional(),
  op: z.enum(COMPARISON_OPS).optional(),
  value: z.union([z.string().max(1000), z.number(), z.boolean()]).optional(),
});
type ConditionShape = z.output<typeof conditionShape>;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  conditionShape
    .check((ctx) => {
      for (const issue of conditionShapeIssues(ctx.value)) ctx.issues.push({ ...issue, input: ctx.value });
    })
    .transform(toCondition),
);

function conditionShapeIssues(shape: ConditionShape): { code: 'custom'; message: string; path?: string[] }[] {
  const forms = ['all', 'any', 'not'].filter((key) => shape[key as 'all' | 'any' | 'not'] !== undefined);
  const isComparison = shape.field !== undefined || shape.op !== undefined || shape.value !== undefined;
  if (forms.length + (isComparison ? 1 : 0) !== 1) {
    return [
      { code: 'custom', message: 'a condition has exactly one of `all`, `any`, `not`, or `field` and `op`' },
    ];
  }
  if (!isComparison) return [];
  const issues: { code: 'custom'; message: string; path?: string[] }[] = [];
  const { field, op, value } = shape;
  const fieldType = field === undefined ? undefined : conditionFieldType(field);
  if (field === undefined)
    issues.push({ code: 'custom', message: 'a comparison needs a `field`', path: ['field'] });
  else if (!fieldType) {
    issues.push({
      code: 'custom',
      message: `"${field}" is not a condition field (see CONDITION_FIELDS, or metadata.<key>)`,
      path: ['field'],
    });
  }
  if (op === undefined) issues.push({ code: 'custom', message: 'a comparison needs an `op`', path: ['op'] });
  else if (op === 'exists') {
    if (value !== undefined)
      issues.push({ code: 'custom', message: '`exists` takes no value', path: ['value'] });
  } else if (value === undefined) {
    issues.push({ code: 'custom', message: `\`${op}\` needs a value`, path: ['value'] });
  } else if (op === 'matches') {
    if (typeof value !== 'string') {
      issues.push({ code: 'custom', message: '`matches` needs a string pattern', path: ['value'] });
    } else {
      const pattern = parseMatchesPattern(value);
      if ('error' in pattern) issues.push({ code: 'custom', message: pattern.error, path: ['value'] });
    }
    if (fieldType === 'number' || fieldType === 'boolean') {
      issues.push({
        code: 'custom',
        message: `${field} is a ${fieldType}; \`matches\` needs a string field`,
        path: ['op'],
      });
    }
  } else if (typeof value === 'boolean' && op !== 'eq' && op !== 'ne') {
    issues.push({
      code: 'custom',
      message: `\`${op}\` compares numbers or strings, not booleans`,
      path: ['value'],
    });
  } else if (fieldType === 'boolean' && op !== 'eq' && op !== 'ne') {
    issues.push({
      code: 'custom',
      message: `${field} is a boolean; compare it with \`eq\` or \`ne\``,
      path: ['op'],
    });
  } else if (fieldType !== undefined && fieldType !== 'any' && typeof value !== fieldType) {
    // Always false at run time, so almost certainly a mistake in the document.
    issues.push({
      code: 'custom',
      message: `${field} is a ${fieldType}; compare it with a ${fieldType}`,
      path: ['value'],
    });
  }
  return issues;
}

/** Only called once the shape checks passed. */
function toCondition(shape: ConditionShape): Condition {
  if (shape.all) return { all: shape.all };
  if (shape.any) return { any: shape.any };
  if (shape.not) return { not: shape.not };
  const field = shape.field as string;
  const value = shape.value as string | number | boolean;
  switch (shape.op) {
    case 'exists':
      return { field, op: 'exists' };
    case 'matches':
      return { field, op: 'matches', value: value as string };
    default:
      if (typeof value === 'boolean') return { field, op: shape.op as 'eq' | 'ne', value };
      return { field, op: shape.op as RelationalOp, value };
  }
}

// Actions ---------------------------------------------------------------------

export const retrySchema = z.strictObject({
  /** Attempts in total, the first one included. */
  maxAttempts: z.int().min(1).max(10),
  interval: durationSchema.default('PT1S'),
  backoffRate: z.number().min(1).max(10).default(2),
});

export const onErrorSchema = z
  .union([z.enum(['fail', 'continue']), z.strictObject({ transitionTo: stageIdSchema })], {
    error: 'onError is "fail", "continue" or { "transitionTo": "<stage id>" }',
  })
  .default('fail');

const actionCommon = {
  id: z
    .string()
    .regex(ACTION_ID_PATTERN, { error: `an action id matches ${ACTION_ID_PATTERN.source}` })
    .optional(),
  retry: retrySchema.optional(),
  onError: onErrorSchema,
};

/** Webhook-style endpoints must be https; validate.ts may allow local http for the local stack. */
const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'url must be an absolute http(s) URL' }).max(2048);

/** An `email` recipient: an address, `customer` (the order's customer), or `role:<role>`. */
const emailRecipientSchema = z
  .string()
  .max(254)
  .check((ctx) => {
    const value = ctx.value;
    if (value === 'customer') return;
    if (value.startsWith('role:')) {
      if (!ROLE_PATTERN.test(value.slice('role:'.length))) {
        ctx.issues.push({ code: 'custom', message: `a role matches ${ROLE_PATTERN.source}`, input: value });
      }
      return;
    }
    if (!z.email().safeParse(value).success) {
      ctx.issues.push({
        code: 'custom',
        message: 'a recipient is an email address, "customer" or "role:<role>"',
        input: value,
      });
    }
  });

/** A logic-less email template: every placeholder must be one the docs list. */
const emailTemplateSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .check((ctx) => {
      for (const message of templateProblems(ctx.value))
        ctx.issues.push({ code: 'custom', message, input: ctx.value });
    });

export const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('inventory.reserve'), ...actionCommon }),
  z.strictObject({ type: z.literal('inventory.release'), ...actionCommon }),
  z.strictObject({
    type: z.literal('purchase_order.create'),
    ...actionCommon,
    supplierFallback: z.string().min(1).max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('labor.schedule'),
    ...actionCommon,
    team: z.string().min(1).max(60),
    hoursPerUnit: z.number().min(0).max(1000).optional(),
    fixedHours: z.number().min(0).max(10_000).optional(),
    dueIn: durationSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('http'),
    ...actionCommon,
    url: httpUrlSchema,
    timeoutSeconds: z.int().min(1).max(MAX_HTTP_TIMEOUT_SECONDS).optional(),
    /** Called by a later `compensate` action with a signed undo request. */
    undo: z
      .strictObject({
        url: httpUrlSchema,
        timeoutSeconds: z.int().min(1).max(MAX_HTTP_TIMEOUT_SECONDS).optional(),
      })
      .optional(),
  }),
  z.strictObject({
    type: z.literal('notify'),
    ...actionCommon,
    event: z
      .string()
      .regex(EVENT_TYPE_PATTERN, { error: `an event type matches ${EVENT_TYPE_PATTERN.source}` }),
  }),
  z.strictObject({
    type: z.literal('email'),
    ...actionCommon,
    to: z.array(emailRecipientSchema).min(1).max(20),
    subject: emailTemplateSchema(200),
    text: emailTemplateSchema(10_000),
  }),
  // Undoes what this order's earlier actions left in place (release, cancel, http undo).
  z.strictObject({ type: z.literal('compensate'), ...actionCommon }),
  // A pause is not a side effect: nothing to retry and nothing that can fail.
  z.strictObject({ type: z.literal('wait'), id: actionCommon.id, duration: durationSchema }),
]);

export const ACTION_TYPES = actionSchema.options.map((option) => option.shape.type.value);

const onEnterSchema = z
  .array(actionSchema)
  .max(MAX_ON_ENTER_ACTIONS, { error: `a stage has at most ${MAX_ON_ENTER_ACTIONS} onEnter actions` })
  .transform((actions) =>
    actions.map((action, index) => ({ ...action, id: action.id ?? `${action.type}-${index}` })),
  );

// Stages and the document -----------------------------------------------------

export const transitionSchema = z.strictObject({
  to: stageIdSchema,
  auto: z.boolean().default(false),
  when: conditionSchema.optional(),
  requires: z.array(z.enum(REQUIREMENTS)).max(REQUIREMENTS.length).optional(),
  roles: z.array(Role).min(1).max(20).optional(),
  /** May be taken while the order is on hold. */
  overridesHold: z.boolean().default(false),
});

export const stageSchema = z
  .strictObject({
    id: stageIdSchema,
    label: z.string().min(1).max(60).optional(),
    editable: z.boolean().default(false),
    final: z.boolean().default(false),
    onEnter: onEnterSchema.default([]),
    transitions: z.array(transitionSchema).max(MAX_STAGES).default([]),
    timeout: z.strictObject({ after: durationSchema, to: stageIdSchema }).optional(),
    emits: z
      .array(
        z.string().regex(EVENT_TYPE_PATTERN, { error: `an event type matches ${EVENT_TYPE_PATTERN.source}` }),
      )
      .max(20)
      .default([]),
    /** `POST /orders/{id}/shipments` may record partial shipments while the order is here. */
    shipping: z.boolean().default(false),
  })
  .transform((stage) => ({ ...stage, label: stage.label ?? stage.id }));

export const workflowDocumentSchema = z.strictObject({
  /** Lets editors find the JSON Schema (json-schema.ts); ignored by Orderflow. */
  $schema: z.string().max(2048).optional(),
  format: z.literal(WORKFLOW_FORMAT, { error: `format must be "${WORKFLOW_FORMAT}"` }),
  name: z.string().min(1).max(100),
  initialStage: stageIdSchema,
  stages: z
    .array(stageSchema)
    .min(MIN_STAGES, { error: `a workflow has at least ${MIN_STAGES} stages` })
    .max(MAX_STAGES, { error: `a workflow has at most ${MAX_STAGES} stages` }),
});

/** The document as uploaded (defaults not yet applied). */
export type WorkflowDocument = z.input<typeof workflowDocumentSchema>;
/** The document with every default applied. */
export type Workflow = z.output<typeof workflowDocumentSchema>;
export type Stage = Workflow['stages'][number];
export type Transition = Stage['transitions'][number];
export type Action = Stage['onEnter'][number];
export type ActionType = Action['type'];
export type OnError = z.output<typeof onErrorSchema>;
export type Retry = z.output<typeof retrySchema>;
