import { readdirSync, readFileSync } from 'node:fs';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  RequestLimitExceeded,
} from '@aws-sdk/client-dynamodb';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  awsSdkIntegrationError,
  LocalWorkflowEngine,
  UnsupportedDefinitionError,
} from '../../../local/engine.js';
import { type AslDefinition, compileWorkflow } from '../../../shared/workflow/compile.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import { integrationOf, unsupportedTasks } from '../../../shared/workflow/integrations.js';
import { workflowDocumentSchema } from '../../../shared/workflow/schema.js';
import { validWorkflowArbitrary } from './arbitraries.js';

const targets = {
  tableName: 'orderflow-orders',
  taskFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orderflow-workflow-task',
};
const examplesDir = new URL('../../../examples/', import.meta.url);

/** The wait state every definition compiled before Orderflow used the AWS SDK integration. */
function withOldWait(asl: AslDefinition): AslDefinition {
  const old = structuredClone(asl);
  for (const state of Object.values(old.States)) {
    if (typeof state.Resource === 'string' && state.Resource.includes('aws-sdk:dynamodb')) {
      state.Resource = 'arn:aws:states:::dynamodb:updateItem.waitForTaskToken';
      state.Catch = [
        { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.error', Next: 'Reload' },
      ];
      delete state.Retry;
    }
  }
  return old;
}

describe('the Task integrations Step Functions accepts', () => {
  it('accept everything compiled from the examples and the default workflow', () => {
    const files = readdirSync(examplesDir).filter((file) => file.endsWith('.workflow.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const document = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));
      const asl = compileWorkflow(workflowDocumentSchema.parse(document), targets);
      expect(unsupportedTasks(asl), file).toEqual([]);
    }
    expect(unsupportedTasks(compileWorkflow(defaultWorkflow, targets))).toEqual([]);
  });

  it('accept every generated workflow', () => {
    fc.assert(
      fc.property(validWorkflowArbitrary, (document) => {
        const asl = compileWorkflow(workflowDocumentSchema.parse(document), targets);
        expect(unsupportedTasks(asl)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('refuse the optimized DynamoDB integration waiting for a callback, and its DynamoDB.* catch', () => {
    const problems = unsupportedTasks(withOldWait(compileWorkflow(defaultWorkflow, targets)));
    expect(problems).toContainEqual(
      expect.stringContaining(
        '"submitted: wait": Step Functions does not support the Task resource arn:aws:states:::dynamodb:updateItem.waitForTaskToken',
      ),
    );
    expect(integrationOf('arn:aws:states:::dynamodb:updateItem')?.pattern).toBe('requestResponse');
    expect(integrationOf('arn:aws:states:::dynamodb:updateItem.waitForTaskToken')).toBeUndefined();
    expect(integrationOf('arn:aws:states:::aws-sdk:dynamodb:updateItem.sync')).toBeUndefined();
  });

  it('are all the local engine runs: it refuses to start an execution of the old wait', async () => {
    const old = withOldWait(compileWorkflow(defaultWorkflow, targets));
    const ran: unknown[] = [];
    const engine = new LocalWorkflowEngine({
      dynamo: new DynamoDBClient({ region: 'local', endpoint: 'http://127.0.0.1:9' }),
      runTask: async (payload) => {
        ran.push(payload);
        throw new Error('never runs');
      },
      definitionOf: async () => old,
    });
    const start = engine.start({
      tenantId: 't1',
      orderId: 'o1',
      workflowVersion: 1,
      attempt: 0,
      state: { tenantId: 't1', orderId: 'o1', stage: 'preliminary', entry: 1, order: {} as never },
    });
    await expect(start).rejects.toBeInstanceOf(UnsupportedDefinitionError);
    await expect(start).rejects.toThrow(
      /does not support the Task resource arn:aws:states:::dynamodb:updateItem.waitForTaskToken/,
    );
    expect(engine.isRunning('t1', 'o1')).toBe(false);
    expect(ran).toEqual([]);
  });

  it('refuse an error name the integration never reports', () => {
    const asl = compileWorkflow(defaultWorkflow, targets);
    const wait = asl.States['submitted: wait'] as unknown as { Catch: { ErrorEquals: string[] }[] };
    (wait.Catch[0] as { ErrorEquals: string[] }).ErrorEquals = ['DynamoDB.ConditionalCheckFailedException'];
    expect(unsupportedTasks(asl)).toEqual([
      expect.stringContaining(
        '"submitted: wait": DynamoDB (AWS SDK) never reports the error DynamoDB.ConditionalCheckFailedException',
      ),
    ]);
  });

  it('name DynamoDB errors locally exactly as the AWS SDK integration does', () => {
    const conditional = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
    });
    expect(awsSdkIntegrationError(conditional).name).toBe('DynamoDb.ConditionalCheckFailedException');
    // DynamoDB's own name lacks the suffix; Step Functions adds it.
    const limit = new RequestLimitExceeded({
      message: 'Throughput exceeds the account limit',
      $metadata: {},
    });
    expect(awsSdkIntegrationError(limit).name).toBe('DynamoDb.RequestLimitExceededException');
  });
});
