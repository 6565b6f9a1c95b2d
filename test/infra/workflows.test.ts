import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OrdersData } from '../../infra/constructs/data.js';
import { Observability } from '../../infra/constructs/observability.js';
import { Workflows } from '../../infra/constructs/workflows.js';
import { compileWorkflow } from '../../shared/workflow/compile.js';
import { defaultWorkflow, legacyDefaultWorkflow } from '../../shared/workflow/default-workflow.js';
import { allowStatements, rolesAllowed } from './template-queries.js';

/**
 * The Step Functions side on its own: functions/workflow-task does not exist yet, so the stack
 * cannot wire it. Stand-in functions take the task and api functions' places.
 */
let app: App;
let stack: Stack;
let workflows: Workflows;
let table: OrdersData['table'];
let taskFunction: LambdaFunction;
let apiFunction: LambdaFunction;
let eventsFunction: LambdaFunction;
let template: Template;
const logicalId = (construct: IConstruct) =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

beforeAll(() => {
  // CDK's own CloudFormation schema check takes ~11 s here; `npm run synth` still runs it.
  app = new App({ builtinCloudFormationValidation: false });
  stack = new Stack(app, 'Orderflow', { env: { region: 'eu-west-1' } });
  table = new OrdersData(stack, 'Data', { deletionProtection: true }).table;
  const standIn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
    });
  taskFunction = standIn('TaskFunction');
  apiFunction = standIn('ApiFunction');
  eventsFunction = standIn('EventsFunction');
  workflows = new Workflows(stack, 'Workflows', { table, taskFunction });
  workflows.allowApiToRunWorkflows(apiFunction);
  workflows.allowToSignalWorkflows(eventsFunction);
  new Observability(stack, 'Observability').monitorStateMachine(
    'DefaultWorkflow',
    workflows.defaultStateMachine,
  );
  template = Template.fromStack(stack);
});

/** A built-in default's state machine resource, by the construct that made it. */
function builtInMachine(machine: Workflows['defaultStateMachine']) {
  const resources = template.findResources('AWS::StepFunctions::StateMachine');
  const properties = resources[logicalId(machine)]?.Properties;
  if (!properties) throw new Error('state machine not in the template');
  return properties;
}

describe('the default workflow state machines', () => {
  it('are the only state machines of the stack: the current default and its first revision', () => {
    expect(Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).sort()).toEqual(
      [logicalId(workflows.defaultStateMachine), logicalId(workflows.legacyDefaultStateMachine)].sort(),
    );
  });

  it.each([
    ['the current default', () => workflows.defaultStateMachine, defaultWorkflow],
    ['its first revision', () => workflows.legacyDefaultStateMachine, legacyDefaultWorkflow],
  ])('has exactly the definition the compiler produces for %s', (_name, machine, workflow) => {
    const placeholders = {
      tableName: 'TABLE_NAME_PLACEHOLDER',
      taskFunctionArn: 'TASK_FUNCTION_ARN_PLACEHOLDER',
    };
    const properties = builtInMachine(machine());
    const [separator, parts] = properties.DefinitionString['Fn::Join'] as [string, unknown[]];
    const substituted = parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const serialized = JSON.stringify(part);
        if (serialized === JSON.stringify({ Ref: logicalId(table) })) return placeholders.tableName;
        if (serialized === JSON.stringify({ 'Fn::GetAtt': [logicalId(taskFunction), 'Arn'] }))
          return placeholders.taskFunctionArn;
        throw new Error(`Unexpected reference in the definition: ${serialized}`);
      })
      .join(separator);

    expect(substituted).toBe(JSON.stringify(compileWorkflow(workflow, placeholders)));
  });

  it.each([
    ['orderflow-default', () => workflows.defaultStateMachine],
    ['orderflow-default-legacy', () => workflows.legacyDefaultStateMachine],
  ])(
    '%s is a Standard workflow that logs all events, without execution data, and traces with X-Ray',
    (name, machine) => {
      expect(builtInMachine(machine())).toMatchObject({
        StateMachineType: 'STANDARD',
        StateMachineName: name,
        RoleArn: { 'Fn::GetAtt': [logicalId(workflows.executionRole), 'Arn'] },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        TracingConfiguration: { Enabled: true },
      });
    },
  );

  it('raises an alarm when an execution fails or times out, not when a migration stops (aborts) one', () => {
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metricNames = alarm?.Properties.Metrics.flatMap(
      (metric: { MetricStat?: { Metric: { MetricName: string } } }) =>
        metric.MetricStat?.Metric.MetricName ?? [],
    );
    expect(metricNames.sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
  });
});

describe('the execution role tenant state machines run with', () => {
  it('may be assumed only by Step Functions on behalf of this account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('delivers logs: tenant machines, created at run time with it, log their errors to the execution log group', () => {
    const deliveryActions = allowStatements(template)
      .filter(({ roles }) => roles.includes(logicalId(workflows.executionRole)))
      .flatMap(({ statement }) => [statement.Action].flat())
      .filter((action) => String(action).startsWith('logs:'));
    expect(deliveryActions).toEqual(
      expect.arrayContaining(['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery']),
    );
    const apiVariables = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (resource) => resource.Properties.Environment?.Variables?.STATE_MACHINE_LOG_GROUP_ARN,
    )?.Properties.Environment.Variables;
    expect(apiVariables?.STATE_MACHINE_LOG_GROUP_ARN).toEqual({
      'Fn::GetAtt': [logicalId(workflows.executionLogs), 'Arn'],
    });
    expect(apiVariables?.STATE_MACHINE_NAME_PREFIX).toBeDefined();
  });

  it('may only write task tokens to this table and invoke the task function; its other grants are log delivery and tracing', () => {
    const statements = allowStatements(template)
      .filter(({ roles }) => roles.includes(logicalId(workflows.executionRole)))
      .map(({ statement }) => statement);
    const scoped = statements.filter((statement) => statement.Resource !== '*');
    const unscopedActions = statements
      .filter((statement) => statement.Resource === '*')
      .flatMap((statement) => statement.Action);

    expect(scoped.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: 'dynamodb:UpdateItem', Resource: { 'Fn::GetAtt': [logicalId(table), 'Arn'] } },
      { Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(taskFunction), 'Arn'] } },
    ]);
    expect(
      unscopedActions.every((action) => /^(logs:\w+Log\w*|logs:\w*ResourcePolic\w+|xray:\w+)$/.test(action)),
    ).toBe(true);
  });
});

describe('what the api function may do with state machines', () => {
  const stateMachinePrefix = ':stateMachine:orderflow-*';

  it('starts executions and sends task tokens only to this stack’s state machines', () => {
    for (const action of ['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure']) {
      const statement = allowStatements(template).find(
        ({ statement, roles }) =>
          [statement.Action].flat().includes(action) &&
          roles.includes(logicalId(apiFunction.role as IConstruct)),
      );
      expect(statement?.roles, action).toEqual([logicalId(apiFunction.role as IConstruct)]);
      expect(JSON.stringify(statement?.statement.Resource), action).toContain(stateMachinePrefix);
    }
  });

  it('lets the events function send task tokens to this stack’s state machines, and do nothing else with them', () => {
    const statements = allowStatements(template).filter(({ roles }) =>
      roles.includes(logicalId(eventsFunction.role as IConstruct)),
    );
    const stateActions = statements.flatMap(({ statement }) =>
      [statement.Action].flat().filter((action) => String(action).startsWith('states:')),
    );
    expect(stateActions).toEqual(['states:SendTaskSuccess']);
    const signalling = statements.find(({ statement }) =>
      [statement.Action].flat().includes('states:SendTaskSuccess'),
    );
    expect(JSON.stringify(signalling?.statement.Resource)).toContain(stateMachinePrefix);
  });

  it('creates, updates and publishes only state machines named with the stack prefix', () => {
    const statement = allowStatements(template).find(({ statement }) =>
      [statement.Action].flat().includes('states:CreateStateMachine'),
    )?.statement;
    expect(statement?.Action).toEqual(
      expect.arrayContaining([
        'states:CreateStateMachine',
        'states:UpdateStateMachine',
        'states:PublishStateMachineVersion',
      ]),
    );
    expect(JSON.stringify(statement?.Resource)).toContain(stateMachinePrefix);
  });

  it('deletes versions of tenant state machines only, and that is all it may do with versions', () => {
    const deleting = allowStatements(template).filter(({ statement }) =>
      [statement.Action].flat().includes('states:DeleteStateMachineVersion'),
    );
    expect(deleting.map(({ statement, roles }) => ({ Action: statement.Action, roles }))).toEqual([
      { Action: 'states:DeleteStateMachineVersion', roles: [logicalId(apiFunction.role as IConstruct)] },
    ]);
    const resource = JSON.stringify(deleting[0]?.statement.Resource);
    expect(resource).toContain(':stateMachine:orderflow-tenant-*:*');
    expect(resource).not.toContain('orderflow-default');
    const versionActions = allowStatements(template).flatMap(({ statement }) =>
      [statement.Action].flat().filter((action) => /StateMachineVersion/.test(String(action))),
    );
    expect(versionActions.sort()).toEqual([
      'states:DeleteStateMachineVersion',
      'states:PublishStateMachineVersion',
    ]);
  });

  it('describes and stops only executions of those state machines', () => {
    const statement = allowStatements(template).find(({ statement }) =>
      [statement.Action].flat().includes('states:DescribeExecution'),
    )?.statement;
    expect(JSON.stringify(statement?.Resource)).toContain(':execution:orderflow-*:*');
    expect([statement?.Action].flat()).toContain('states:StopExecution');
  });

  it('passes only the execution role, and only to Step Functions', () => {
    const executionRole = logicalId(workflows.executionRole);
    expect(rolesAllowed(template, 'iam:PassRole', executionRole)).toEqual([
      logicalId(apiFunction.role as IConstruct),
    ]);
    const passRole = allowStatements(template).filter(({ statement }) =>
      [statement.Action].flat().includes('iam:PassRole'),
    );
    expect(passRole.map(({ statement }) => statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [executionRole, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
        Sid: 'PassExecutionRoleToStepFunctions',
      },
    ]);
  });

  it('is the only principal that may start executions, and sends task tokens with the events function alone', () => {
    const anyStateMachine = 'orderflow-';
    const principals = (pattern: RegExp) => [
      ...new Set(
        allowStatements(template)
          .filter(({ statement }) => [statement.Action].flat().some((action) => pattern.test(action)))
          .filter(({ statement }) => JSON.stringify(statement.Resource).includes(anyStateMachine))
          .flatMap(({ roles }) => roles),
      ),
    ];
    expect(principals(/^states:StartExecution/)).toEqual([logicalId(apiFunction.role as IConstruct)]);
    expect(principals(/^states:SendTask/).sort()).toEqual(
      [logicalId(apiFunction.role as IConstruct), logicalId(eventsFunction.role as IConstruct)].sort(),
    );
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the Step Functions side or in the api permissions it adds', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    // The stand-ins' own findings (managed policy, runtime) are not the construct's concern.
    const ours = report.violations.filter(
      (violation) =>
        violation.ruleName.startsWith('AwsSolutions-IAM5') ||
        violation.violatingResources.some((resource) => resource.constructPath?.includes('/Workflows/')),
    );
    expect(ours.map((violation) => violation.ruleName)).toEqual([]);
  });
});
