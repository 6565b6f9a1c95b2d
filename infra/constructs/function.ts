import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { lambdaBundling } from '../bundling.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every function's metrics land in one CloudWatch namespace, told apart by service. */
export const METRICS_NAMESPACE = 'Orderflow';

export interface OrderflowFunctionProps {
  /** The folder under functions/ whose index.ts exports `handler`. */
  folder: string;
  description: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout: Duration;
  /** Also bundle what the function loads beside its bundle (infra/extra-bundles.ts). */
  extraBundles?: boolean;
}

/**
 * One of Orderflow's Lambda functions, configured alike: the shared bundling, Node.js 22 on
 * arm64, Powertools settings, X-Ray, and a role that may only write its own log group until
 * the stack grants it more.
 */
export class OrderflowFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: OrderflowFunctionProps) {
    super(scope, id);
    this.serviceName = `orderflow-${props.folder}`;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.serviceName}: its own logs, plus what the stack grants`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repositoryRoot}functions/${props.folder}/index.ts`,
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      bundling: {
        ...lambdaBundling,
        format: OutputFormat.ESM,
        mainFields: [...lambdaBundling.mainFields],
        externalModules: [...lambdaBundling.externalModules],
        ...(props.extraBundles
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  `node --import tsx "${repositoryRoot}infra/extra-bundles.ts" "${outputDir}"`,
                ],
              },
            }
          : {}),
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: bundles target node22 and the code is verified on 20 and 22; move to 24 as a tested change.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and, for the stream consumer, dynamodb:ListStreams: none of them supports resource-level permissions.',
    });
  }
}
