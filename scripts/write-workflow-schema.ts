/** Writes the shipped JSON Schema of workflow documents from the zod schema: `npm run schemas`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORKFLOW_SCHEMA_FILE, workflowJsonSchema } from '../shared/workflow/json-schema.js';

const file = fileURLToPath(new URL(`../${WORKFLOW_SCHEMA_FILE}`, import.meta.url));
writeFileSync(file, `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
console.log(`wrote ${WORKFLOW_SCHEMA_FILE}`);
