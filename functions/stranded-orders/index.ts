import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../shared/adapters/dynamodb/workflow-store.js';
import { builtInDefaultWorkflows } from '../../shared/workflow/default-workflow.js';
import { env } from '../runtime.js';
import { stepFunctionsEngineFromEnv } from '../step-functions.js';
import { createStrandedOrdersHandler } from './handler.js';

const tableName = env('TABLE_NAME');
const client = createDocumentClient({ tableName });

/** The stranded-orders function's Lambda entry point on AWS. */
export const handler = createStrandedOrdersHandler({
  store: new DynamoOrderStore(client, tableName),
  workflows: new DynamoWorkflowStore(client, tableName, builtInDefaultWorkflows),
  engine: stepFunctionsEngineFromEnv(),
});
