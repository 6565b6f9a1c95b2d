import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OrderflowApi } from './constructs/api.js';
import { OrdersData } from './constructs/data.js';
import { WebhookDelivery } from './constructs/delivery.js';
import { OrderflowFunction } from './constructs/function.js';
import { Observability } from './constructs/observability.js';
import { ApiSecrets } from './constructs/secrets.js';

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
  readonly api: OrderflowApi;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: OrderflowStackProps) {
    super(scope, id, props);
    this.data = new OrdersData(this, 'Data', { deletionProtection: props.deletionProtection });
    this.secrets = new ApiSecrets(this, 'Secrets');
    this.delivery = new WebhookDelivery(this, 'WebhookDelivery');
    this.observability = new Observability(this, 'Observability');
    const tableName = this.data.table.tableName;

    this.apiFunction = new OrderflowFunction(this, 'ApiFunction', {
      folder: 'api',
      description: 'Orderflow API: every HTTP route',
      // Below API Gateway's 30 s integration limit, so a slow request ends as our own 5xx.
      timeout: Duration.seconds(25),
      environment: {
        TABLE_NAME: tableName,
        ADMIN_KEY_SECRET_ARN: this.secrets.adminKey.secretArn,
        CURSOR_SECRET_ARN: this.secrets.cursorSecret.secretArn,
      },
    });
    this.data.grantItemReadWrite(this.apiFunction.function);
    this.secrets.grantRead(this.apiFunction.function);

    this.authorizerFunction = new OrderflowFunction(this, 'AuthorizerFunction', {
      folder: 'authorizer',
      description: 'Orderflow API key authorizer: resolves a bearer key to its tenant',
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: { TABLE_NAME: tableName },
    });
    this.data.grantGetItem(this.authorizerFunction.function);

    this.api = new OrderflowApi(this, 'Api', {
      handler: this.apiFunction.function,
      authorizer: this.authorizerFunction.function,
    });

    this.observability.monitorApi(this.api.httpApi);
    this.observability.monitorFunction('Api', this.apiFunction.function);
    this.observability.monitorFunction('Authorizer', this.authorizerFunction.function);
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
