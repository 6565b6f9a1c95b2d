import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrderflowApp } from '../../infra/orderflow-app.js';
import type { OrderflowStack } from '../../infra/orderflow-stack.js';
import { allowStatements, rolesAllowed } from './template-queries.js';

let stack: OrderflowStack;
let template: Template;
const logicalId = (construct: IConstruct) =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const roleOf = (fn: OrderflowStack['apiFunction']) => logicalId(fn.function.role as IConstruct);

beforeAll(() => {
  stack = createOrderflowApp({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [] },
  }).stack;
  template = Template.fromStack(stack);
});

describe('the attachments bucket', () => {
  it('is private, encrypted, logged, and aborts uploads nobody completed', () => {
    const bucket = template.toJSON().Resources[logicalId(stack.attachments.bucket)].Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId(stack.attachments.accessLogs),
    });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      }),
    ]);
  });

  it('refuses every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.attachments.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it("lets only the console's origin (the API's) upload and download from a browser", () => {
    const bucket = template.toJSON().Resources[logicalId(stack.attachments.bucket)].Properties;
    expect(bucket.CorsConfiguration.CorsRules).toEqual([
      {
        AllowedOrigins: [{ 'Fn::GetAtt': [logicalId(stack.api.httpApi), 'ApiEndpoint'] }],
        AllowedMethods: ['PUT', 'GET'],
        AllowedHeaders: ['content-type', 'content-length'],
        MaxAge: 3000,
      },
    ]);
  });

  it('is written, read and deleted by the api function alone, under the tenants/ prefix', () => {
    const bucket = logicalId(stack.attachments.bucket);
    for (const action of ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListBucket']) {
      expect(rolesAllowed(template, action, bucket), action).toEqual([roleOf(stack.apiFunction)]);
    }
    const objects = allowStatements(template).find(({ statement }) =>
      [statement.Action].flat().includes('s3:PutObject'),
    );
    expect(JSON.stringify(objects?.statement.Resource)).toContain('/tenants/*');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ATTACHMENTS_BUCKET: { Ref: bucket } }) },
    });
  });
});

describe('email', () => {
  it('is sent by the task function alone, from the deployed sender through the configuration set', () => {
    const sends = allowStatements(template).filter(({ statement }) =>
      [statement.Action].flat().includes('ses:SendEmail'),
    );
    expect(sends.flatMap(({ roles }) => roles)).toEqual([roleOf(stack.workflowTaskFunction)]);
    expect(sends[0]?.statement.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': { Ref: 'EmailSender' } },
    });
    expect(template.toJSON().Parameters.EmailSender).toMatchObject({ Type: 'String' });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EMAIL_SENDER: { Ref: 'EmailSender' },
          EMAIL_CONFIGURATION_SET: { Ref: logicalId(stack.email.configurationSet) },
        }),
      },
    });
  });
});
