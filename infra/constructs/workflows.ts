import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaFunctionTarget } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { compileWorkflow } from '../../shared/workflow/compile.js';
import { defaultWorkflow, legacyDefaultWorkflow } from '../../shared/workflow/default-workflow.js';
import type { Workflow } from '../../shared/workflow/schema.js';
import { nagResource } from '../nag.js';

/** How often the owed-starts sweep runs: a start left owed is made within this plus the grace. */
export const OWED_START_SWEEP_MINUTES = 5;

export interface WorkflowsProps {
  table: ITable;
  /** The workflow-task function every Lambda Task state invokes. */
  taskFunction: LambdaFunction;
}

/**
 * The Step Functions side: the role every order execution runs with, the default workflow's
 * state machine, and what the api function may do to create and drive tenants' machines.
 */
export class Workflows extends Construct {
  /** Every Orderflow state machine's name starts with this; the api's permissions stop at it. */
  readonly stateMachineNamePrefix: string;
  readonly executionRole: iam.Role;
  readonly defaultStateMachine: StateMachine;
  /** The first revision of the built-in default, for the orders still pinned to it. */
  readonly legacyDefaultStateMachine: StateMachine;
  readonly executionLogs: LogGroup;
  private readonly taskFunction: LambdaFunction;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.taskFunction = props.taskFunction;
    // shared/adapters/aws/step-functions-engine.ts names tenant machines `orderflow-<tenant>`.
    this.stateMachineNamePrefix = `${stack.stackName.toLowerCase()}-`;

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      // Only Step Functions acting for this account may assume it (confused deputy).
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description:
        'Orderflow order executions: write the task token onto the order, invoke the task function',
    });
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WaitForTransitionWritesTaskToken',
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
      }),
    );
    // The compiled ASL invokes the unqualified ARN, so no version or alias needs permission.
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTaskFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [props.taskFunction.functionArn],
      }),
    );

    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      // The vendedlogs prefix keeps CloudWatch's log resource policy small as machines multiply.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineNamePrefix}executions`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const builtInMachine = (id: string, name: string, workflow: Workflow) =>
      new StateMachine(this, id, {
        stateMachineName: `${this.stateMachineNamePrefix}${name}`,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(
          JSON.stringify(
            compileWorkflow(workflow, {
              tableName: props.table.tableName,
              taskFunctionArn: props.taskFunction.functionArn,
            }),
          ),
        ),
        role: this.executionRole,
        // Execution data holds customers' details; events without it still show every step and error.
        logs: { destination: this.executionLogs, level: LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      });
    this.defaultStateMachine = builtInMachine('DefaultWorkflow', 'default', defaultWorkflow);
    // Orders created under the first built-in default keep running it until migrated.
    this.legacyDefaultStateMachine = builtInMachine(
      'LegacyDefaultWorkflow',
      'default-legacy',
      legacyDefaultWorkflow,
    );
    Validations.of(this.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs delivery actions (logs:CreateLogDelivery and friends) and X-Ray writes that logging and tracing need; none of them supports resource-level permissions.',
    });
  }

  /** ARN of every Orderflow state machine of this stack, and of its versions. */
  private stateMachinesArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: `${this.stateMachineNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** ARN of every execution of those state machines. */
  private executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineNamePrefix}*:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * Lets the api function compile tenants' workflows into state machines (created, updated
   * and published per upload), start one execution per order and signal its transitions.
   */
  /** The events function sends, from the table's stream, the signals orders owe their executions. */
  allowToSignalWorkflows(fn: LambdaFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SignalOrderflowExecutions',
        actions: ['states:SendTaskSuccess'],
        resources: [this.stateMachinesArn()],
      }),
    );
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, this.stateMachinesArn())}]`,
        reason:
          'Tenant state machines are created at run time, so their names are only known by prefix; the prefix is this stack’s, nothing else’s.',
      });
    }
  }

  /**
   * The stranded-orders function: EventBridge sends it the stack's executions that failed or
   * timed out; it asks DescribeExecution about the order's own execution and starts a new one.
   * A schedule sends it the sweep over executions owed but never started.
   */
  resumeStrandedOrders(fn: LambdaFunction, deadLetterQueue: IQueue): Rule {
    new Rule(this, 'OwedStartsSweep', {
      description: 'Orderflow: starts the order executions a failed or interrupted start left owed',
      schedule: Schedule.rate(Duration.minutes(OWED_START_SWEEP_MINUTES)),
    }).addTarget(new LambdaFunctionTarget(fn, { retryAttempts: 0 }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartOrderflowExecutions',
        actions: ['states:StartExecution'],
        resources: [this.stateMachinesArn()],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeOrderflowExecutions',
        actions: ['states:DescribeExecution'],
        resources: [this.executionsArn()],
      }),
    );
    this.acknowledgePrefixGrants(fn);
    this.addEngineEnvironment(fn);
    const rule = new Rule(this, 'ExecutionEnded', {
      description: 'Orderflow order executions that failed or timed out, for the stranded-orders function',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT'],
          stateMachineArn: [{ prefix: this.stateMachinesArn().replace(/\*$/, '') }],
        },
      },
    });
    rule.addTarget(
      new LambdaFunctionTarget(fn, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue,
      }),
    );
    return rule;
  }

  private acknowledgePrefixGrants(fn: LambdaFunction): void {
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    for (const resource of [this.stateMachinesArn(), this.executionsArn()]) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, resource)}]`,
        reason:
          'Tenant state machines are created at run time, so their names are only known by prefix; the prefix is this stack’s, nothing else’s.',
      });
    }
  }

  /** What StepFunctionsEngine reads (functions/api/index.ts, functions/stranded-orders/index.ts). */
  private addEngineEnvironment(fn: LambdaFunction): void {
    fn.addEnvironment(
      'STATE_MACHINE_ARN_PREFIX',
      Stack.of(this).formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: '',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    fn.addEnvironment('STATE_MACHINE_NAME_PREFIX', this.stateMachineNamePrefix);
    fn.addEnvironment('STATE_MACHINE_ROLE_ARN', this.executionRole.roleArn);
    fn.addEnvironment('DEFAULT_STATE_MACHINE_ARN', this.defaultStateMachine.stateMachineArn);
    fn.addEnvironment('LEGACY_DEFAULT_STATE_MACHINE_ARN', this.legacyDefaultStateMachine.stateMachineArn);
  }

  allowApiToRunWorkflows(api: LambdaFunction): void {
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageAndRunOrderflowStateMachines',
        actions: [
          'states:CreateStateMachine',
          'states:UpdateStateMachine',
          'states:PublishStateMachineVersion',
          'states:StartExecution',
          'states:SendTaskSuccess',
          'states:SendTaskFailure',
        ],
        resources: [this.stateMachinesArn()],
      }),
    );
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeAndStopOrderflowExecutions',
        // StopExecution: a migrated order's old execution is stopped when the new one starts.
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [this.executionsArn()],
      }),
    );
    api.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassExecutionRoleToStepFunctions',
        actions: ['iam:PassRole'],
        resources: [this.executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
      }),
    );
    this.acknowledgePrefixGrants(api);
    // What functions/api/index.ts reads to build the StepFunctionsEngine and compile workflows.
    this.addEngineEnvironment(api);
    api.addEnvironment('WORKFLOW_TASK_FUNCTION_ARN', this.taskFunction.functionArn);
  }
}
