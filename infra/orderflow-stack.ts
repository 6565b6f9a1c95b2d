import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { ENTITY_ATTRIBUTE, streamFilters } from '../shared/table.js';
import { OrderflowApi } from './constructs/api.js';
import { OrdersData } from './constructs/data.js';
import { DELIVERY_FUNCTION_TIMEOUT, WebhookDelivery } from './constructs/delivery.js';
import { OrderflowFunction } from './constructs/function.js';
import { Observability } from './constructs/observability.js';
import { ApiSecrets } from './constructs/secrets.js';
import { Workflows } from './constructs/workflows.js';

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
  readonly webhookDeliveryFunction: OrderflowFunction;
  readonly workflowTaskFunction: OrderflowFunction;
  readonly workflows: Workflows;
  readonly api: OrderflowApi;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: OrderflowStackProps) {
    super(scope, id, props);
    this.data = new OrdersData(this, 'Data', { deletionProtection: props.deletionProtection });
    this.secrets = new ApiSecrets(this, 'Secrets');
    this.delivery = new WebhookDelivery(this, 'WebhookDelivery');
    this.observability = new Observability(this, 'Observability');
    const tableName = this.data.table.tableName;
    const deliveryQueues = {
      DELIVERY_QUEUE_URL: this.delivery.queue.queueUrl,
      DELIVERY_DLQ_URL: this.delivery.deadLetterQueue.queueUrl,
    };

    this.apiFunction = new OrderflowFunction(this, 'ApiFunction', {
      folder: 'api',
      description: 'Orderflow API: every HTTP route',
      // Below API Gateway's 30 s integration limit, so a slow request ends as our own 5xx.
      timeout: Duration.seconds(25),
      environment: {
        TABLE_NAME: tableName,
        ADMIN_KEY_SECRET_ARN: this.secrets.adminKey.secretArn,
        CURSOR_SECRET_ARN: this.secrets.cursorSecret.secretArn,
        ACTION_SIGNING_KEY_SECRET_ARN: this.secrets.actionSigningKey.secretArn,
        WEBHOOK_SECRETS_KEY_ID: this.delivery.secretsKey.keyArn,
        ...deliveryQueues,
      },
    });
    this.data.grantItemReadWrite(this.apiFunction.function);
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
    this.eventsFunction.function.addEventSource(
      new DynamoEventSource(this.data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
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
      timeout: Duration.seconds(60),
      environment: {
        TABLE_NAME: tableName,
        ACTION_SIGNING_KEY_SECRET_ARN: this.secrets.actionSigningKey.secretArn,
      },
    });
    this.data.grantItemReadWrite(this.workflowTaskFunction.function);
    this.secrets.actionSigningKey.grantRead(this.workflowTaskFunction.function);
    this.workflows = new Workflows(this, 'Workflows', {
      table: this.data.table,
      taskFunction: this.workflowTaskFunction.function,
    });
    this.workflows.allowApiToRunWorkflows(this.apiFunction.function);
    this.workflows.allowToSignalWorkflows(this.eventsFunction.function);

    this.api = new OrderflowApi(this, 'Api', {
      handler: this.apiFunction.function,
      authorizer: this.authorizerFunction.function,
    });

    this.observability.monitorApi(this.api.httpApi);
    this.observability.monitorFunction('Api', this.apiFunction.function);
    this.observability.monitorFunction('Authorizer', this.authorizerFunction.function);
    this.observability.monitorFunction('Events', this.eventsFunction.function);
    this.observability.monitorFunction('WebhookDelivery', this.webhookDeliveryFunction.function);
    this.observability.monitorFunction('WorkflowTask', this.workflowTaskFunction.function);
    this.observability.monitorStateMachine('DefaultWorkflow', this.workflows.defaultStateMachine);
    this.observability.monitorDeadLetterQueue('WebhookDelivery', this.delivery.deadLetterQueue);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Orderflow API' });
    new CfnOutput(this, 'AdminKeySecretName', {
      value: this.secrets.adminKey.secretName,
      description: 'Secrets Manager secret holding the admin bearer key',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'CloudWatch dashboard',
    });
  }
}
