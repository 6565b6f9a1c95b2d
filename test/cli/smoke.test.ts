import { readdirSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runSmoke, SMOKE_OUTPUTS } from '../../cli/smoke.js';
import { startReceiver } from '../support/receiver.js';
import { useStack } from '../support/stack.js';

const exampleWorkflows = readdirSync(new URL('../../examples/', import.meta.url)).filter((file) =>
  file.endsWith('.workflow.json'),
);

// The deployed API is the local stack, over real HTTP; only the AWS APIs are mocked.
const api = useStack({ allowLocalWebhooks: true });
const cloudFormation = mockClient(CloudFormationClient);
const secrets = mockClient(SecretsManagerClient);
const sfn = mockClient(SFNClient);
const taskFunctionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:Orderflow-WorkflowTask';

function deployedStack() {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'Orderflow' }).resolves({
    Stacks: [
      {
        StackName: 'Orderflow',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          { OutputKey: 'ApiUrl', OutputValue: `${api.stack.url}/` },
          { OutputKey: 'AdminKeySecretName', OutputValue: 'orderflow/admin-key' },
          { OutputKey: 'TableName', OutputValue: 'Orderflow-Table' },
          { OutputKey: 'WorkflowTaskFunctionArn', OutputValue: taskFunctionArn },
        ],
      },
    ],
  });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'orderflow/admin-key' })
    .resolves({ SecretString: api.adminKey });
}

const clients = (lines: string[]) => ({
  cloudFormation: cloudFormation as unknown as CloudFormationClient,
  secrets: secrets as unknown as SecretsManagerClient,
  sfn: sfn as unknown as SFNClient,
  log: (line: string) => lines.push(line),
});

beforeEach(() => {
  cloudFormation.reset();
  secrets.reset();
  sfn.reset();
});
afterAll(() => {
  cloudFormation.restore();
  secrets.restore();
  sfn.restore();
});

describe('npm run smoke', () => {
  it('validates every compiled definition with Step Functions, then ships one order through the API', async () => {
    deployedStack();
    sfn.on(ValidateStateMachineDefinitionCommand).resolves({ result: 'OK', diagnostics: [] });
    const receiver = await startReceiver();
    const lines: string[] = [];
    try {
      const { orderId } = await runSmoke(clients(lines), { stack: 'Orderflow', webhookUrl: receiver.url });

      const validations = sfn
        .commandCalls(ValidateStateMachineDefinitionCommand)
        .map((call) => call.args[0].input);
      // Both built-in default revisions and every example, compiled against the stack's own table and function.
      expect(validations).toHaveLength(2 + exampleWorkflows.length);
      for (const validation of validations) {
        expect(validation).toMatchObject({ type: 'STANDARD', severity: 'WARNING' });
        const definition = JSON.parse(validation.definition as string);
        const resources = Object.values(definition.States as Record<string, { Resource?: string }>).flatMap(
          (state) => state.Resource ?? [],
        );
        expect(new Set(resources)).toEqual(
          new Set([taskFunctionArn, 'arn:aws:states:::aws-sdk:dynamodb:updateItem.waitForTaskToken']),
        );
        expect(validation.definition).toContain('"TableName":"Orderflow-Table"');
      }
      expect(lines.filter((line) => line.startsWith('validate '))).toEqual([
        'validate default workflow: OK',
        'validate first default workflow (orders pinned to it): OK',
        ...exampleWorkflows.toSorted().map((file) => `validate ${file}: OK`),
      ]);
      expect(lines).toContain('subscribe webhook: POST /v1/webhooks → 201');
      expect(lines).toContain(`transition to shipped: POST /v1/orders/${orderId}/transitions → 200`);
      expect(lines.at(-1)).toMatch(new RegExp(`^order ${orderId}: order.created, .*order.shipped`));
      // The subscription it made gets the test order's events.
      expect((await receiver.waitFor(1, 20_000)).length).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });

  it('stops before touching the API when Step Functions refuses a definition', async () => {
    deployedStack();
    sfn.on(ValidateStateMachineDefinitionCommand).resolves({
      result: 'FAIL',
      diagnostics: [
        { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'bad', location: '/States' },
      ],
    });
    const lines: string[] = [];
    await expect(runSmoke(clients(lines), { stack: 'Orderflow' })).rejects.toThrow(
      `${2 + exampleWorkflows.length} definition(s) failed validation.`,
    );
    expect(lines[0]).toBe('validate default workflow: FAIL\n  ERROR SCHEMA_VALIDATION_FAILED /States: bad');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it(`asks for a redeploy when the stack lacks the outputs it reads (${SMOKE_OUTPUTS.join(', ')})`, async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Old', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }],
    });
    await expect(runSmoke(clients([]), { stack: 'Old' })).rejects.toThrow(
      /has no output ApiUrl, .*; deploy this version/,
    );
  });
});
