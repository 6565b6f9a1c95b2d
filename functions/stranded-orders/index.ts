import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsEngine } from '../../shared/adapters/aws/step-functions-engine.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../shared/adapters/dynamodb/workflow-store.js';
import { builtInDefaultWorkflows } from '../../shared/workflow/default-workflow.js';
import { env } from '../runtime.js';
import { createStrandedOrdersHandler } from './handler.js';

const tableName = env('TABLE_NAME');
const client = createDocumentClient({ tableName });

/** The stranded-orders function's Lambda entry point on AWS. */
export const handler = createStrandedOrdersHandler({
  store: new DynamoOrderStore(client, tableName),
  workflows: new DynamoWorkflowStore(client, tableName, builtInDefaultWorkflows),
  engine: new StepFunctionsEngine(new SFNClient({}), {
    stateMachineArnPrefix: env('STATE_MACHINE_ARN_PREFIX'),
    stateMachineNamePrefix: env('STATE_MACHINE_NAME_PREFIX'),
    executionRoleArn: env('STATE_MACHINE_ROLE_ARN'),
    defaultStateMachineArn: env('DEFAULT_STATE_MACHINE_ARN'),
    legacyDefaultStateMachineArn: env('LEGACY_DEFAULT_STATE_MACHINE_ARN'),
  }),
});
