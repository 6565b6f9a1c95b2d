import { workflowJsonSchema } from '../../../shared/workflow/json-schema.js';
import type { Operation } from './index.js';

let schema: string | undefined;

export const getWorkflowJsonSchema: Operation<'getWorkflowJsonSchema'> = async () => {
  schema ??= JSON.stringify(workflowJsonSchema());
  return {
    statusCode: 200,
    // Editors fetch it from other origins (a schema store, a browser-based editor).
    headers: {
      'content-type': 'application/schema+json',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=3600',
    },
    body: schema,
  };
};
