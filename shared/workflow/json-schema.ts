/**
 * The workflow document format as JSON Schema, generated from the zod schema that validates
 * uploads (schema.ts), so editors check and complete documents by the same rules. The
 * cross-stage rules of validate.ts (targets exist, a final stage is reachable, ...) are not
 * expressible here; `POST /v1/workflow/validate` and `orderflow workflow validate` report them.
 */
import * as z from 'zod';
import { WORKFLOW_FORMAT, workflowDocumentSchema } from './schema.js';

/** Where the API serves it (no key needed) and the file the repository ships. */
export const WORKFLOW_SCHEMA_PATH = '/schemas/workflow-v1.json';
export const WORKFLOW_SCHEMA_FILE = 'schemas/workflow-v1.json';
export const WORKFLOW_SCHEMA_ID = `https://orderflow.dev${WORKFLOW_SCHEMA_PATH}`;

export function workflowJsonSchema(): Record<string, unknown> {
  // `input`: what a person writes, before defaults are applied. Refinements that only code can
  // check (durations, condition fields) become plain strings here.
  const generated = z.toJSONSchema(workflowDocumentSchema, { io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return {
    $schema,
    $id: WORKFLOW_SCHEMA_ID,
    title: `Orderflow workflow (${WORKFLOW_FORMAT})`,
    description: 'An order workflow: its stages, who may move an order where, guards, actions and timeouts.',
    ...rest,
  };
}
