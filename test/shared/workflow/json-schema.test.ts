import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { defaultWorkflowDocument } from '../../../shared/workflow/default-workflow.js';
import { WORKFLOW_SCHEMA_FILE, workflowJsonSchema } from '../../../shared/workflow/json-schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const root = new URL('../../../', import.meta.url);
const examples = readdirSync(new URL('examples/', root)).filter((name) => name.endsWith('.workflow.json'));
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const check = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(
  workflowJsonSchema(),
);

describe('the workflow JSON Schema', () => {
  it('is shipped in the repository exactly as generated from the validating schema (npm run schemas)', () => {
    expect(readJson(WORKFLOW_SCHEMA_FILE)).toEqual(workflowJsonSchema());
  });

  it.each(examples)('accepts the example %s, with or without a $schema reference', (name) => {
    const document = readJson(`examples/${name}`);
    expect(check(document), JSON.stringify(check.errors)).toBe(true);
    const referenced = { $schema: '../schemas/workflow-v1.json', ...document };
    expect(check(referenced)).toBe(true);
    expect(validateWorkflow(referenced).valid).toBe(true);
  });

  it('accepts the built-in default workflow', () => {
    expect(check(defaultWorkflowDocument)).toBe(true);
  });

  it('rejects what the validator rejects by shape: unknown keys, bad ids, unknown actions', () => {
    const document = readJson('examples/print-shop.workflow.json');
    for (const broken of [
      { ...document, colour: 'blue' },
      { ...document, initialStage: 'Not An Id' },
      {
        ...document,
        stages: [{ ...document.stages[0], onEnter: [{ type: 'teleport' }] }, document.stages[1]],
      },
      { ...document, stages: [{ ...document.stages[0], transitions: [{ to: 'x', requires: ['magic'] }] }] },
    ]) {
      expect(check(broken)).toBe(false);
      expect(validateWorkflow(broken).valid).toBe(false);
    }
  });
});
