import * as z from 'zod';
import { Actor, Currency } from '../orders/schema.js';

const Issue = z.object({ path: z.string(), message: z.string() });

/** Documents the body; the workflow validator checks it and answers every problem at once. */
export const WorkflowDocument = z
  .object({
    format: z.literal('orderflow.workflow/v1'),
    name: z.string(),
    initialStage: z.string(),
    stages: z.array(z.record(z.string(), z.unknown())),
  })
  .describe('An orderflow.workflow/v1 document (see docs/workflow-format).');

export const WorkflowValidation = z.object({
  valid: z.boolean(),
  errors: z.array(Issue),
  warnings: z.array(Issue),
});
export const WorkflowPublished = z.object({ version: z.int(), warnings: z.array(Issue) });

export const WorkflowVersionSummary = z.object({
  version: z.int(),
  name: z.string(),
  aslSha256: z.string(),
  publishedAt: z.string(),
  publishedBy: Actor.optional(),
});

export const WorkflowVersionDetail = WorkflowVersionSummary.extend({
  document: z.unknown(),
  asl: z.record(z.string(), z.unknown()).describe('The Amazon States Language definition it compiled to.'),
});

export const WorkflowDiagramQuery = z.strictObject({
  version: z.coerce.number().int().min(0).optional(),
  currency: Currency.optional().describe(
    'Show amounts in conditions in this currency ("total under £500.00").',
  ),
});

export const DrawDiagramQuery = WorkflowDiagramQuery.pick({ currency: true });
