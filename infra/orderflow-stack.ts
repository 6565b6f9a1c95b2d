import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENTITY_ATTRIBUTE, streamFilters } from '../shared/table.js';
import { LONGEST_STEP_SECONDS } from '../shared/workflow/schema.js';
import { OrderflowApi } from './constructs/api.js';
import { Attachments } from './constructs/attachments.js';
import { OrdersData } from './constructs/data.js';
import { DELIVERY_FUNCTION_TIMEOUT, WebhookDelivery } from './constructs/delivery.js';
import { Email } from './constructs/email.js';
import { OrderflowFunction } from './constructs/function.js';
import { Observability } from './constructs/observability.js';
import { ApiSecrets } from './constructs/secrets.js';
import { Workflows } from './constructs/workflows.js';

/**
 * How the events function's stream mapping gives up on a record it cannot handle: a bad
 * record would otherwise be retried for the stream's 24 hours, holding up every later signal
 * and webhook of its shard, and then be dropped without trace. Bisecting isolates it; after
 * the attempts or the age its batch's position goes to the failure queue, which alarms.
 */
export const EVENTS_STREAM_RETRY_ATTEMPTS = 10;
export const EVENTS_STREAM_MAX_RECORD_AGE = Duration.hours(1);
/**
 * The task function's timeout: the longest step the validator allows plus a minute for its
 * reads and writes, within Lambda's 15 minutes. A slow but successful stage never times out.
 */
export const WORKFLOW_TASK_TIMEOUT = Duration.seconds(LONGEST_STEP_SECONDS + 60);

/** A queue where something records what it gave up on: kept 14 days, encrypted, alarmed on. */
function failureQueue(scope: Construct, id: string, role: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `It is itself where failures go (${role}), kept 14 days and alarmed on.`,
  });
  return queue;
}

export interface OrderflowStackProps extends StackProps {
  /** Protects the orders table from deletion (and keeps it when the stack is destroyed). */
  deletionProtection: boolean;
}

/** Orderflow on AWS: the composition of the constructs in infra/constructs, as design.md draws it. */
export class OrderflowStack extends Stack {
  readonly data: OrdersData;
  readonly secrets: ApiSecrets;
  readonly delivery: WebhookDelivery;
  readonly apiFunction: OrderflowFunction;
  readonly authorizerFunction: OrderflowFunction;
  readonly eventsFunction: OrderflowFunction;
  /** Where the stream mapping records the batches the events function gave up on. */
  readonly eventsStreamFailures: Queue;
  readonly webhookDeliveryFunction: OrderflowFunction;
  readonly workflowTaskFunction: OrderflowFunction;
  readonly strandedOrdersFunction: OrderflowFunction;
  /** Execution-ended events the stranded-orders function could not handle. */
  readonly strandedOrdersFailures: Queue;
  readonly workflows: Workflows;
  readonly api: OrderflowApi;
  readonly observability: Observability;
  readonly attachments: Attachments;
  readonly email: Email;

  constructor(scope: Construct, id: string, props: OrderflowStackProps) {
    super(scope, id, props);
    this.data = new OrdersData(this, 'Data', { deletionProtection: props.deletionProtection });
    this.secrets = new ApiSecrets(this, 'Secrets');
    this.delivery = new WebhookDelivery(this, 'WebhookDelivery');
    this.observability = new Observability(this, 'Observability');
    this.attachments = new Attachments(this, 'Attachments', { retain: props.deletionProtection });
    this.email = new Email(this, 'Email');
    const tableName = this.data.table.tableName;
    const deliveryQueues = {
      DELIVERY_QUEUE_URL: this.delivery.queue.queueUrl,
      DELIVERY_DLQ_URL: this.delivery.deadLetterQueue.queueUrl,
    };

    this.apiFunction = new OrderflowFunction(this, 'ApiFunction', {
      folder: 'api',
      description: 'Orderflow API: every HTTP route',
      // The workflow simulator's worker thread.
      extraBundles: true,
      // Below API Gateway's 30 s integration limit, so a slow request ends as our own 5xx.
      timeout: Duration.seconds(25),
      environment: {
        TABLE_NAME: tableName,
        ADMIN_KEY_SECRET_ARN: this.secrets.adminKey.secretArn,
        CURSOR_SECRET_ARN: this.secrets.cursorSecret.secretArn,
        ACTION_SIGNING_KEY_SECRET_ARN: this.secrets.actionSigningKey.secretArn,
        WEBHOOK_SECRETS_KEY_ID: this.delivery.secretsKey.keyArn,
        ATTACHMENTS_BUCKET: this.attachments.bucket.bucketName,
        ...deliveryQueues,
      },
    });
    this.data.grantItemReadWrite(this.apiFunction.function);
    this.attachments.grantApi(this.apiFunction.function);
    this.secrets.grantRead(this.apiFunction.function);
    // It seals a new subscription's signing secret and queues deliveries; it never opens a secret.
    this.delivery.grantSecretEncryption(this.apiFunction.function);
    this.delivery.grantReplayDecryption(this.apiFunction.function);
    this.delivery.queue.grantSendMessages(this.apiFunction.function);

    this.authorizerFunction = new OrderflowFunction(this, 'AuthorizerFunction', {
      folder: 'authorizer',
      description: 'Orderflow API key authorizer: resolves a bearer key to its tenant',
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: { TABLE_NAME: tableName },
    });
    this.data.grantGetItem(this.authorizerFunction.function);

    this.eventsFunction = new OrderflowFunction(this, 'EventsFunction', {
      folder: 'events',
      description: 'Orderflow events: fans history events out to webhooks, sends owed signals',
      timeout: Duration.seconds(60),
      environment: { TABLE_NAME: tableName, ...deliveryQueues },
    });
    this.data.grantItemReadWrite(this.eventsFunction.function);
    this.delivery.queue.grantSendMessages(this.eventsFunction.function);
    this.delivery.deadLetterQueue.grantSendMessages(this.eventsFunction.function);
    this.eventsStreamFailures = failureQueue(
      this,
      'EventsStreamFailures',
      'the stream mapping’s on-failure destination',
    );
    this.eventsFunction.function.addEventSource(
      new DynamoEventSource(this.data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        retryAttempts: EVENTS_STREAM_RETRY_ATTEMPTS,
        maxRecordAge: EVENTS_STREAM_MAX_RECORD_AGE,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.eventsStreamFailures),
        // Only inserted history events and orders carrying a stored signal matter (the table
        // contract's streamFilters, which the local poller applies too); the rest cost no invocation.
        filters: streamFilters.map((filter) =>
          FilterCriteria.filter({
            eventName: FilterRule.or(...filter.eventNames),
            dynamodb: {
              NewImage: {
                [ENTITY_ATTRIBUTE]: { S: FilterRule.isEqual(filter.recordType) },
                ...(filter.requires
                  ? {
                      [filter.requires.attribute]: {
                        M: { [filter.requires.field]: { S: FilterRule.exists() } },
                      },
                    }
                  : {}),
              },
            },
          }),
        ),
      }),
    );

    this.webhookDeliveryFunction = new OrderflowFunction(this, 'WebhookDeliveryFunction', {
      folder: 'webhook-delivery',
      description: 'Orderflow webhook delivery: one signed attempt per queued delivery',
      timeout: DELIVERY_FUNCTION_TIMEOUT,
      environment: {
        TABLE_NAME: tableName,
        WEBHOOK_SECRETS_KEY_ID: this.delivery.secretsKey.keyArn,
        ...deliveryQueues,
      },
    });
    this.data.grantItemReadWrite(this.webhookDeliveryFunction.function);
    this.delivery.grantSecretDecryption(this.webhookDeliveryFunction.function);
    // Retries are new delayed messages; exhausted ones are parked in the dead-letter queue.
    this.delivery.queue.grantSendMessages(this.webhookDeliveryFunction.function);
    this.delivery.deadLetterQueue.grantSendMessages(this.webhookDeliveryFunction.function);
    this.webhookDeliveryFunction.function.addEventSource(
      new SqsEventSource(this.delivery.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    this.workflowTaskFunction = new OrderflowFunction(this, 'WorkflowTaskFunction', {
      folder: 'workflow-task',
      description: 'Orderflow workflow tasks: runs the actions and moves of order executions',
      timeout: WORKFLOW_TASK_TIMEOUT,
      environment: {
        TABLE_NAME: tableName,
        ACTION_SIGNING_KEY_SECRET_ARN: this.secrets.actionSigningKey.secretArn,
        ...this.email.environment(),
      },
    });
    this.data.grantItemReadWrite(this.workflowTaskFunction.function);
    this.email.grantSend(this.workflowTaskFunction.function);
    this.secrets.actionSigningKey.grantRead(this.workflowTaskFunction.function);
    this.workflows = new Workflows(this, 'Workflows', {
      table: this.data.table,
      taskFunction: this.workflowTaskFunction.function,
    });
    this.workflows.allowApiToRunWorkflows(this.apiFunction.function);
    this.workflows.allowToSignalWorkflows(this.eventsFunction.function);

    this.strandedOrdersFunction = new OrderflowFunction(this, 'StrandedOrdersFunction', {
      folder: 'stranded-orders',
      description:
        'Orderflow stranded orders: resumes orders whose execution failed, timed out or never started',
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: tableName },
    });
    this.data.grantOrderUpdates(this.strandedOrdersFunction.function);
    this.data.grantOwedStartsQuery(this.strandedOrdersFunction.function);
    this.strandedOrdersFailures = failureQueue(
      this,
      'StrandedOrdersFailures',
      'the execution-ended rule’s dead-letter queue',
    );
    this.workflows.resumeStrandedOrders(this.strandedOrdersFunction.function, this.strandedOrdersFailures);

    this.api = new OrderflowApi(this, 'Api', {
      handler: this.apiFunction.function,
      authorizer: this.authorizerFunction.function,
    });

    // The console is served by the API itself (GET /console), so its origin is the API's.
    this.attachments.allowBrowserOrigin(this.api.httpApi.apiEndpoint);

    this.observability.monitorApi(this.api.httpApi);
    this.observability.monitorFunction('Api', this.apiFunction.function);
    this.observability.monitorFunction('Authorizer', this.authorizerFunction.function);
    this.observability.monitorFunction('Events', this.eventsFunction.function);
    this.observability.monitorFunction('WebhookDelivery', this.webhookDeliveryFunction.function);
    this.observability.monitorFunction('WorkflowTask', this.workflowTaskFunction.function);
    this.observability.monitorFunction('StrandedOrders', this.strandedOrdersFunction.function);
    this.observability.monitorStateMachine('DefaultWorkflow', this.workflows.defaultStateMachine);
    this.observability.monitorDeadLetterQueue('WebhookDelivery', this.delivery.deadLetterQueue);
    this.observability.monitorDeadLetterQueue('EventsStream', this.eventsStreamFailures);
    this.observability.monitorDeadLetterQueue('StrandedOrders', this.strandedOrdersFailures);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Orderflow API' });
    new CfnOutput(this, 'AdminKeySecretName', {
      value: this.secrets.adminKey.secretName,
      description: 'Secrets Manager secret holding the admin bearer key',
    });
    // What `npm run smoke` compiles the workflows against (cli/smoke.ts).
    new CfnOutput(this, 'TableName', { value: tableName, description: 'The orders table' });
    new CfnOutput(this, 'WorkflowTaskFunctionArn', {
      value: this.workflowTaskFunction.function.functionArn,
      description: 'The function every compiled workflow invokes',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'CloudWatch dashboard',
    });
  }
}
