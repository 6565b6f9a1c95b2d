import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_KEY_CACHE_MS } from '../../functions/authorizer/handler.js';
import { esbuildOptions } from '../../infra/bundling.js';
import { AUTHORIZER_CACHE_TTL } from '../../infra/constructs/api.js';
import { MAX_RECEIVE_COUNT } from '../../infra/constructs/delivery.js';
import { OWED_START_SWEEP_MINUTES } from '../../infra/constructs/workflows.js';
import { createOrderflowApp } from '../../infra/orderflow-app.js';
import {
  EVENTS_STREAM_MAX_RECORD_AGE,
  EVENTS_STREAM_RETRY_ATTEMPTS,
  type OrderflowStack,
} from '../../infra/orderflow-stack.js';
import { createTableInput } from '../../shared/adapters/dynamodb/create-table.js';
import { DEFAULT_ROUTE_KEY } from '../../shared/http/route-matching.js';
import { routeKey, routes } from '../../shared/http/routes.js';
import { tableDefinition } from '../../shared/table.js';
import {
  LONGEST_STEP_SECONDS,
  MAX_HTTP_TIMEOUT_SECONDS,
  MAX_ON_ENTER_ACTIONS,
} from '../../shared/workflow/schema.js';
import { allowStatements, onlyResource, rolesAllowed } from './template-queries.js';

const skipBundling = { 'aws:cdk:bundling-stacks': [] };
/** CDK's own CloudFormation schema check takes ~11 s here; `npm run synth` still runs it. */
const fastSynth = { builtinCloudFormationValidation: false };

let stack: OrderflowStack;
let template: Template;
const logicalId = (construct: IConstruct) =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

const allFunctions = () => [
  stack.apiFunction,
  stack.authorizerFunction,
  stack.eventsFunction,
  stack.webhookDeliveryFunction,
  stack.workflowTaskFunction,
  stack.strandedOrdersFunction,
];

beforeAll(() => {
  stack = createOrderflowApp({ ...fastSynth, context: skipBundling }).stack;
  template = Template.fromStack(stack);
});

describe('the orders table', () => {
  it('has the keys, indexes and stream of the table the local stack creates', () => {
    const local = createTableInput('orderflow');
    const { properties } = onlyResource(template, 'AWS::DynamoDB::Table');
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName));

    expect(properties.KeySchema).toEqual(local.KeySchema);
    expect([...properties.AttributeDefinitions].sort(byName)).toEqual(
      [...(local.AttributeDefinitions ?? [])].sort(byName),
    );
    expect(properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(properties.StreamSpecification).toEqual({
      StreamViewType: local.StreamSpecification?.StreamViewType,
    });
    expect(properties.BillingMode).toBe(local.BillingMode);
  });

  it('keeps point-in-time recovery, expires items by TTL and is protected from deletion by default', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('drops deletion protection when the deletionProtection context is false', () => {
    const unprotected = createOrderflowApp({
      ...fastSynth,
      context: { ...skipBundling, deletionProtection: 'false' },
    }).stack;
    const table = unprotected.data.table.node.defaultChild as CfnTable;

    expect(table.deletionProtectionEnabled).toBe(false);
    expect(table.cfnOptions.deletionPolicy).toBe('Delete');
  });
});

describe('the HTTP API', () => {
  it('has one route per entry of the route table, the authorizer on tenant routes only, and a catch-all for the rest', () => {
    const authorizerId = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer').logicalId;
    const synthesized = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => ({
      key: route.Properties.RouteKey,
      authorization: route.Properties.AuthorizationType,
      authorizer: route.Properties.AuthorizerId?.Ref,
    }));
    const expected = [
      ...routes.map((route) =>
        route.auth === 'tenant'
          ? { key: routeKey(route), authorization: 'CUSTOM', authorizer: authorizerId }
          : { key: routeKey(route), authorization: 'NONE', authorizer: undefined },
      ),
      // Answers 404 or 405 (with Allow) as problem+json from the api function.
      { key: DEFAULT_ROUTE_KEY, authorization: 'NONE', authorizer: undefined },
    ];
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);

    expect(synthesized.sort(byKey)).toEqual(expected.sort(byKey));
  });

  it('sends every route to the api function with payload format 2.0', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.apiFunction.function), 'Arn'] },
    });
  });

  it('asks the authorizer for simple responses, cached per Authorization header', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL.toSeconds(),
    });
    const authorizer = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer').properties;
    expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(logicalId(stack.authorizerFunction.function));
  });

  it('bounds how long a revoked key keeps working by the time docs/deploy.md states', () => {
    const deployDoc = readFileSync(fileURLToPath(new URL('../../docs/deploy.md', import.meta.url)), 'utf8');
    const stated = /stops working on\s+AWS within (\d+) seconds/.exec(deployDoc);
    expect(stated).not.toBeNull();
    const boundMs = AUTHORIZER_CACHE_TTL.toMilliseconds() + AUTHORIZER_KEY_CACHE_MS;
    expect(Number(stated?.[1]) * 1000).toBe(boundMs);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerResultTtlInSeconds: boundMs / 1000,
    });
  });

  it('logs every request to its own log group and throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('the functions', () => {
  it('run as Node.js 22 on arm64 with source maps, active tracing and Powertools settings', () => {
    for (const fn of allFunctions()) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: fn.serviceName,
            POWERTOOLS_METRICS_NAMESPACE: 'Orderflow',
          }),
        },
      });
    }
  });

  it('give the api function the table and the two secrets its entry point reads', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(stack.apiFunction.role), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { Ref: logicalId(stack.data.table) },
          ADMIN_KEY_SECRET_ARN: { Ref: logicalId(stack.secrets.adminKey) },
          CURSOR_SECRET_ARN: { Ref: logicalId(stack.secrets.cursorSecret) },
        }),
      },
    });
  });

  it('give the api function what it needs to run tenants’ workflows on Step Functions', () => {
    const api = template.findResources('AWS::Lambda::Function')[logicalId(stack.apiFunction.function)];
    const variables = api?.Properties.Environment.Variables;
    expect(JSON.stringify(variables.STATE_MACHINE_ARN_PREFIX)).toMatch(/:stateMachine:"\]\]\}$/);
    // The engine names tenant machines under the same prefix the IAM policies cover.
    expect(variables.STATE_MACHINE_NAME_PREFIX).toBe(stack.workflows.stateMachineNamePrefix);
    expect(variables.STATE_MACHINE_ROLE_ARN).toEqual({
      'Fn::GetAtt': [logicalId(stack.workflows.executionRole), 'Arn'],
    });
    expect(variables.DEFAULT_STATE_MACHINE_ARN).toEqual({
      Ref: logicalId(stack.workflows.defaultStateMachine),
    });
    expect(variables.WORKFLOW_TASK_FUNCTION_ARN).toEqual({
      'Fn::GetAtt': [logicalId(stack.workflowTaskFunction.function), 'Arn'],
    });
  });

  it('give the workflow-task function time for the longest step the validator allows', () => {
    const [taskFunction] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: Match.absent(), Description: Match.stringLikeRegexp('workflow tasks') },
      }),
    );
    // Every action of a stage runs in one Task: twenty http actions of 30 s each.
    expect(LONGEST_STEP_SECONDS).toBe(MAX_ON_ENTER_ACTIONS * MAX_HTTP_TIMEOUT_SECONDS);
    expect(taskFunction?.Properties.Timeout).toBeGreaterThan(LONGEST_STEP_SECONDS);
    expect(taskFunction?.Properties.Timeout).toBeLessThanOrEqual(900);
  });

  it('are bundled as ESM whose banner gives CommonJS dependencies a working require', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderflow-banner-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      "declare const require: (id: string) => { sep: string };\nexport const sep = require('node:path').sep;\n",
    );
    await build({ ...esbuildOptions(entry, join(dir, 'out', 'index.mjs')), logLevel: 'error' });
    const bundled = await import(join(dir, 'out', 'index.mjs'));

    expect(bundled.sep).toBe('/');
  });
});

describe('least privilege', () => {
  const roleOf = (fn: OrderflowStack['apiFunction']) => logicalId(fn.role);

  const itemWriters = () =>
    [stack.apiFunction, stack.eventsFunction, stack.webhookDeliveryFunction, stack.workflowTaskFunction]
      .map(roleOf)
      .sort();
  const queueSenders = () =>
    [stack.apiFunction, stack.eventsFunction, stack.webhookDeliveryFunction].map(roleOf).sort();

  it('lets only the api, events, delivery and workflow-task functions write the table, and nobody scan it or change it', () => {
    const table = logicalId(stack.data.table);
    for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem']) {
      expect(rolesAllowed(template, action, table), action).toEqual(itemWriters());
    }
    // Order executions write their task token onto the order; the stranded-orders function a new attempt.
    expect(rolesAllowed(template, 'dynamodb:UpdateItem', table)).toEqual(
      [
        ...itemWriters(),
        logicalId(stack.workflows.executionRole),
        roleOf(stack.strandedOrdersFunction),
      ].sort(),
    );
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable']) {
      expect(rolesAllowed(template, action, table), action).toEqual([]);
    }
  });

  it('lets the authorizer only get single items', () => {
    const table = logicalId(stack.data.table);
    expect(rolesAllowed(template, 'dynamodb:GetItem', table)).toEqual(
      [...itemWriters(), roleOf(stack.authorizerFunction), roleOf(stack.strandedOrdersFunction)].sort(),
    );
    const authorizerActions = allowStatements(template)
      .filter(({ roles }) => roles.includes(roleOf(stack.authorizerFunction)))
      .flatMap(({ statement }) => statement.Action);
    expect(authorizerActions.filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:GetItem',
    ]);
  });

  it('names each index it lets a function query, never all of them by wildcard', () => {
    const queries = allowStatements(template).filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes('/index/'),
    );
    expect(queries.flatMap(({ roles }) => roles).sort()).toEqual(
      [...itemWriters(), roleOf(stack.strandedOrdersFunction)].sort(),
    );
    for (const { statement } of queries) expect(JSON.stringify(statement.Resource)).not.toContain('/index/*');
    // The stranded-orders sweep reads the owed-starts index and nothing else of the table by query.
    const strandedQueries = queries.filter(({ roles }) =>
      roles.includes(roleOf(stack.strandedOrdersFunction)),
    );
    expect(strandedQueries.map(({ statement }) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringMatching(/\/index\/owedStarts"/),
    ]);
  });

  it('lets only the events function read the table stream', () => {
    const table = logicalId(stack.data.table);
    expect(rolesAllowed(template, 'dynamodb:GetRecords', table)).toEqual([roleOf(stack.eventsFunction)]);
  });

  it('lets only the delivery function consume the delivery queue, and only it and the events function dead-letter', () => {
    const queue = logicalId(stack.delivery.queue);
    const deadLetterQueue = logicalId(stack.delivery.deadLetterQueue);
    expect(rolesAllowed(template, 'sqs:ReceiveMessage', queue)).toEqual([
      roleOf(stack.webhookDeliveryFunction),
    ]);
    expect(rolesAllowed(template, 'sqs:DeleteMessage', queue)).toEqual([
      roleOf(stack.webhookDeliveryFunction),
    ]);
    expect(rolesAllowed(template, 'sqs:SendMessage', queue)).toEqual(queueSenders());
    expect(rolesAllowed(template, 'sqs:SendMessage', deadLetterQueue)).toEqual(
      [roleOf(stack.eventsFunction), roleOf(stack.webhookDeliveryFunction)].sort(),
    );
    expect(rolesAllowed(template, 'sqs:ReceiveMessage', deadLetterQueue)).toEqual([]);
  });

  it('lets only the api function read the admin key and the cursor secret', () => {
    for (const secret of [stack.secrets.adminKey, stack.secrets.cursorSecret]) {
      expect(rolesAllowed(template, 'secretsmanager:GetSecretValue', logicalId(secret))).toEqual([
        roleOf(stack.apiFunction),
      ]);
    }
  });

  it('lets only the api and workflow-task functions read the action signing key', () => {
    expect(
      rolesAllowed(template, 'secretsmanager:GetSecretValue', logicalId(stack.secrets.actionSigningKey)),
    ).toEqual([roleOf(stack.apiFunction), roleOf(stack.workflowTaskFunction)].sort());
  });

  it('lets only the order executions’ role invoke the workflow-task function', () => {
    expect(
      rolesAllowed(template, 'lambda:InvokeFunction', logicalId(stack.workflowTaskFunction.function)),
    ).toEqual([logicalId(stack.workflows.executionRole)]);
  });

  it('lets the api function only seal webhook secrets and the delivery function only open them', () => {
    const key = logicalId(stack.delivery.secretsKey);
    expect(rolesAllowed(template, 'kms:Encrypt', key)).toEqual([roleOf(stack.apiFunction)]);
    expect(rolesAllowed(template, 'kms:Decrypt', key).sort()).toEqual(
      [roleOf(stack.apiFunction), roleOf(stack.webhookDeliveryFunction)].sort(),
    );
    // The api function may decrypt only its own sealed idempotent replays.
    const apiDecrypt = allowStatements(template).find(
      ({ statement }) =>
        [statement.Action].flat().includes('kms:Decrypt') &&
        JSON.stringify(statement.Condition ?? {}).includes('idempotency:*'),
    );
    expect(apiDecrypt?.statement.Condition).toEqual({
      StringLike: { 'kms:EncryptionContext:webhookId': 'idempotency:*' },
    });
  });

  it('grants no wildcard action and attaches no AWS managed policy', () => {
    const actions = allowStatements(template).flatMap(({ statement }) => statement.Action);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets each function write only its own log group', () => {
    for (const fn of allFunctions()) {
      const logStatements = allowStatements(template).filter(
        ({ roles, statement }) =>
          roles.includes(roleOf(fn)) && [statement.Action].flat().includes('logs:PutLogEvents'),
      );
      expect(logStatements.map(({ statement }) => statement.Resource)).toEqual([
        { 'Fn::GetAtt': [logicalId(fn.node.findChild('Logs')), 'Arn'] },
      ]);
    }
  });
});

describe('webhook delivery', () => {
  it(`parks a message in the dead-letter queue after ${MAX_RECEIVE_COUNT} receives`, () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack.delivery.deadLetterQueue), 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
      SqsManagedSseEnabled: true,
    });
  });

  it('encrypts every queue (delivery, its dead letters, stream and stranded-order failures) and refuses requests without TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.values(queues).map((queue) => queue.Properties.SqsManagedSseEnabled)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('encrypts webhook secrets with a rotating customer managed key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('event sources', () => {
  it('feeds the events function only inserted history events and orders carrying a signal, retrying from the failed record', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.eventsFunction.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.data.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['event'] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: {
                NewImage: {
                  entity: { S: ['order'] },
                  pendingSignal: { M: { token: { S: [{ exists: true }] } } },
                },
              },
            }),
          },
        ],
      },
    });
  });

  it('gives up on a record the events function keeps failing on, isolating it and recording it in a queue that alarms', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.eventsFunction.function) },
      MaximumRetryAttempts: EVENTS_STREAM_RETRY_ATTEMPTS,
      MaximumRecordAgeInSeconds: EVENTS_STREAM_MAX_RECORD_AGE.toSeconds(),
      BisectBatchOnFunctionError: true,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.eventsStreamFailures), 'Arn'] } },
      },
    });
    // Far below the stream's 24 hours, so a bad record holds up its shard for an hour at most.
    expect(EVENTS_STREAM_MAX_RECORD_AGE.toSeconds()).toBeLessThanOrEqual(3600);
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    const failureAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions ?? []).includes(logicalId(stack.eventsStreamFailures)),
    );
    expect(failureAlarms).toHaveLength(1);
    expect(failureAlarms[0]?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('sends the stranded-orders function every failed or timed-out execution of the stack’s state machines, dead-lettering what it cannot take', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: [{ prefix: Match.anyValue() }] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stack.strandedOrdersFunction.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack.strandedOrdersFailures), 'Arn'] } },
        }),
      ],
    });
    const table = logicalId(stack.data.table);
    const strandedRole = logicalId(stack.strandedOrdersFunction.role);
    const actions = allowStatements(template)
      .filter(({ roles }) => roles.includes(strandedRole))
      .flatMap(({ statement }) => statement.Action);
    expect(actions.filter((action) => /^(dynamodb|states):/.test(action)).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'states:DescribeExecution',
      'states:StartExecution',
    ]);
    expect(rolesAllowed(template, 'dynamodb:PutItem', table)).not.toContain(strandedRole);
  });

  it('sends the stranded-orders function a sweep over owed execution starts every few minutes, not retried', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${OWED_START_SWEEP_MINUTES} minutes)`,
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stack.strandedOrdersFunction.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });

  it('feeds the delivery function from the delivery queue, reporting failed messages one by one', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.webhookDeliveryFunction.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.delivery.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('observability', () => {
  const alarmsOn = (metricName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties).includes(`"MetricName":"${metricName}"`),
    );

  it('alarms on messages in the dead-letter queue', () => {
    const [alarm] = alarmsOn('ApproximateNumberOfMessagesVisible');
    expect(JSON.stringify(alarm?.Properties.Dimensions)).toContain(logicalId(stack.delivery.deadLetterQueue));
    expect(alarm?.Properties.Threshold).toBe(1);
  });

  it('alarms on the share of API requests answered 5xx', () => {
    const [alarm] = alarmsOn('5xx');
    const expressions = alarm?.Properties.Metrics.map((metric: { Expression?: string }) => metric.Expression);
    expect(expressions).toContain('100 * FILL(serverErrors, 0) / requests');
  });

  it('alarms on errors and throttles of every function', () => {
    expect(alarmsOn('Errors')).toHaveLength(allFunctions().length);
    expect(alarmsOn('Throttles')).toHaveLength(allFunctions().length);
  });

  it('alarms when an execution of the default workflow fails', () => {
    expect(alarmsOn('ExecutionsFailed')).toHaveLength(1);
  });

  it('has one dashboard and outputs the API URL and where the admin key is', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasOutput('ApiUrl', {});
    template.hasOutput('AdminKeySecretName', {
      Value: { 'Fn::Join': Match.anyValue() },
    });
  });
});
