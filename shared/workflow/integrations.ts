/**
 * The Task resources and integration patterns Step Functions accepts for what Orderflow's
 * compiled workflows call, each from the page of the AWS Step Functions Developer Guide that
 * states it, with how each integration names its errors. The compiler's output is checked
 * against this (test/shared/workflow/integrations.test.ts) and the local engine refuses any
 * definition outside it, so the local runtime is no more permissive than AWS.
 */
import type { AslDefinition } from './compile.js';

const GUIDE = 'https://docs.aws.amazon.com/step-functions/latest/dg';

/** "Discover service integration patterns in Step Functions" (`connect-to-resource`). */
export const INTEGRATION_PATTERNS_SOURCE = `${GUIDE}/connect-to-resource.html`;

/** The suffix of the Resource field that selects a pattern; Request Response has none. */
export const PATTERN_SUFFIX = {
  requestResponse: '',
  waitForTaskToken: '.waitForTaskToken',
  sync: '.sync',
} as const;
export type IntegrationPattern = keyof typeof PATTERN_SUFFIX;

export interface TaskIntegration {
  name: string;
  /** Matches the Resource field without its pattern suffix. */
  resource: RegExp;
  /** Patterns the documentation lists for it, Standard workflows. */
  patterns: readonly IntegrationPattern[];
  /** The documentation page the resource, patterns and error names come from. */
  source: string;
  /**
   * What a Retry or Catch on this Task may name, apart from the `States.*` errors: the error
   * scheme of the integration.
   */
  errorNames: RegExp;
  /** The Error Step Functions reports when the call fails with this service error name. */
  errorName(serviceError: string): string;
}

/**
 * A Lambda function invoked by its ARN (the Resource is the function ARN): Request Response
 * only. The error is the function's own error type; Lambda's service errors are named
 * `Lambda.<Exception>`, and an unhandled failure, including the function timing out, is
 * `Lambda.Unknown` (newer runtimes report an init timeout as `Sandbox.Timedout`).
 */
export const LAMBDA_FUNCTION: TaskIntegration = {
  name: 'Lambda function ARN',
  resource: /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/,
  patterns: ['requestResponse'],
  source: `${GUIDE}/connect-lambda.html (Invoke an AWS Lambda function with Step Functions); ${GUIDE}/bp-lambda-serviceexception.html (Handle Lambda service exceptions)`,
  // The function's own error names (Orderflow.*, StoreUnavailableError) and Lambda's.
  errorNames: /^(?!DynamoDB\.|DynamoDb\.)[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/,
  errorName: (serviceError) => `Lambda.${serviceError}`,
};

/** The optimized Lambda integration `arn:aws:states:::lambda:invoke`. */
export const LAMBDA_INVOKE: TaskIntegration = {
  name: 'Lambda Invoke (optimized)',
  resource: /^arn:aws:states:::lambda:invoke$/,
  patterns: ['requestResponse', 'waitForTaskToken'],
  source: `${GUIDE}/connect-lambda.html (Invoke an AWS Lambda function with Step Functions); ${GUIDE}/connect-supported-services.html (Integrating optimized services with Step Functions)`,
  errorNames: /^(?!DynamoDB\.|DynamoDb\.)[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/,
  errorName: (serviceError) => `Lambda.${serviceError}`,
};

/**
 * The optimized DynamoDB integration: GetItem, PutItem, UpdateItem, DeleteItem (and a few
 * more), Request Response only; Wait for Callback and Run a Job are not supported for it.
 * Its errors are `DynamoDB.<Exception>`.
 */
export const DYNAMODB_OPTIMIZED: TaskIntegration = {
  name: 'DynamoDB (optimized)',
  resource: /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/,
  patterns: ['requestResponse'],
  source: `${GUIDE}/connect-supported-services.html (Integrating optimized services with Step Functions: DynamoDB supports Request Response only); ${GUIDE}/connect-ddb.html (Perform DynamoDB CRUD operations with Step Functions)`,
  errorNames: /^DynamoDB\.[A-Za-z]+Exception$/,
  errorName: (serviceError) => `DynamoDB.${withExceptionSuffix(serviceError)}`,
};

/**
 * The AWS SDK integration for DynamoDB, `arn:aws:states:::aws-sdk:dynamodb:<apiAction>`:
 * Request Response and Wait for Callback (Standard workflows); not Run a Job. Parameters are
 * the API's own in PascalCase. A failure's Error is the service name and the error name in
 * PascalCase separated by a period, the error name always ending in `Exception`:
 * `DynamoDb.ConditionalCheckFailedException`.
 */
export const DYNAMODB_AWS_SDK: TaskIntegration = {
  name: 'DynamoDB (AWS SDK)',
  resource: /^arn:aws:states:::aws-sdk:dynamodb:(getItem|putItem|updateItem|deleteItem|query)$/,
  patterns: ['requestResponse', 'waitForTaskToken'],
  source: `${GUIDE}/supported-services-awssdk.html (Learning to use AWS service SDK integrations in Step Functions); ${INTEGRATION_PATTERNS_SOURCE} (Wait for a Callback with Task Token)`,
  errorNames: /^DynamoDb\.[A-Za-z]+Exception$/,
  errorName: (serviceError) => `DynamoDb.${withExceptionSuffix(serviceError)}`,
};

export const TASK_INTEGRATIONS: readonly TaskIntegration[] = [
  LAMBDA_FUNCTION,
  LAMBDA_INVOKE,
  DYNAMODB_OPTIMIZED,
  DYNAMODB_AWS_SDK,
];

/** Errors Step Functions itself raises, valid on every Task ("Error handling in Step Functions"). */
const STATES_ERRORS = /^States\.[A-Za-z]+$/;

function withExceptionSuffix(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

/** The integration and pattern a Task's Resource selects, or undefined when AWS would refuse it. */
export function integrationOf(
  resource: string,
): { integration: TaskIntegration; pattern: IntegrationPattern } | undefined {
  const suffixes = Object.entries(PATTERN_SUFFIX).sort(([, a], [, b]) => b.length - a.length) as [
    IntegrationPattern,
    string,
  ][];
  for (const [pattern, suffix] of suffixes) {
    if (suffix && !resource.endsWith(suffix)) continue;
    const base = resource.slice(0, resource.length - suffix.length);
    const integration = TASK_INTEGRATIONS.find((candidate) => candidate.resource.test(base));
    if (!integration) continue;
    return integration.patterns.includes(pattern) ? { integration, pattern } : undefined;
  }
  return undefined;
}

/** Every Task of the definition that Step Functions would refuse, or whose error names cannot match. */
export function unsupportedTasks(definition: AslDefinition): string[] {
  const problems: string[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const found = integrationOf(resource);
    if (!found) {
      problems.push(`"${name}": Step Functions does not support the Task resource ${resource}`);
      continue;
    }
    const handlers = [state.Retry, state.Catch].flatMap((list) =>
      Array.isArray(list) ? (list as { ErrorEquals: string[] }[]) : [],
    );
    for (const errorName of handlers.flatMap((handler) => handler.ErrorEquals)) {
      if (STATES_ERRORS.test(errorName) || found.integration.errorNames.test(errorName)) continue;
      problems.push(
        `"${name}": ${found.integration.name} never reports the error ${errorName} (${found.integration.source})`,
      );
    }
    if (found.pattern === 'waitForTaskToken' && !JSON.stringify(state.Parameters).includes('$$.Task.Token')) {
      problems.push(`"${name}": a .waitForTaskToken Task must pass $$.Task.Token`);
    }
  }
  return problems;
}
