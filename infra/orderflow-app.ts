import { readFileSync } from 'node:fs';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrderflowStack } from './orderflow-stack.js';

export const STACK_NAME = 'Orderflow';
/** Where the stack goes when AWS_REGION is unset: synth needs a region, not credentials. */
export const DEFAULT_REGION = 'us-east-1';

/**
 * The feature flags cdk.json sets. The CLI passes them to the app itself; tests build the app
 * without the CLI, so the app reads them too and every test synthesizes what a deploy would.
 */
export function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * The CDK app with cdk-nag's AwsSolutions pack registered: synthesis fails on any finding
 * that is not acknowledged next to its resource. `cdk.json` runs it through infra/app.ts;
 * tests build the same app.
 */
export function createOrderflowApp(props: AppProps = {}): { app: App; stack: OrderflowStack } {
  const app = new App({ ...props, context: { ...featureFlags(), ...props.context } });
  const stack = new OrderflowStack(app, STACK_NAME, {
    description:
      'Orderflow: multi-tenant order management (API Gateway, Lambda, DynamoDB, Step Functions, SQS)',
    // The CLI overwrites CDK_DEFAULT_REGION, so AWS_REGION is the one an operator sets.
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.AWS_REGION ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    },
    deletionProtection: String(app.node.tryGetContext('deletionProtection') ?? 'true') !== 'false',
    // `cdk deploy -c alarmEmail=ops@example.com`: the address confirms the subscription once.
    ...(app.node.tryGetContext('alarmEmail')
      ? { alarmEmail: String(app.node.tryGetContext('alarmEmail')) }
      : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
