/**
 * What deploys is each function's bundle, not the TypeScript the other tests import. Here each
 * function is built with exactly the esbuild options CDK uses (infra/bundling.ts), the built
 * file is loaded in a fresh Node process with the environment the CDK template gives that
 * function, and it handles a real event: against DynamoDB Local, with the AWS services that
 * cannot run here answered (and recorded) by a fake over real HTTP. A bundling mistake — a
 * module left out, an import that only works from source, a missing environment variable —
 * fails here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling.js';
import { buildExtraBundles } from '../../infra/extra-bundles.js';
import { createOrderflowApp } from '../../infra/orderflow-app.js';
import type { OrderflowStack } from '../../infra/orderflow-stack.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { ensureTable } from '../../shared/adapters/dynamodb/create-table.js';
import { DynamoWebhookStore } from '../../shared/adapters/dynamodb/webhook-store.js';
import { newId } from '../../shared/ids.js';
import { keys, orderAttributes } from '../../shared/table.js';
import { startFakeAws } from '../support/fake-aws.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const TABLE = 'orderflow-bundles';
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ADMIN_KEY = 'admin-key-for-the-bundle-test';
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
const FUNCTIONS = [
  'api',
  'authorizer',
  'workflow-task',
  'events',
  'webhook-delivery',
  'stranded-orders',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];

let dynamo: DynamoDbLocal;
let fake: Awaited<ReturnType<typeof startFakeAws>>;
let raw: DynamoDBClient;
let outDir: string;
const environments = new Map<FunctionName, Record<string, string>>();

/** A value for each variable the template sets: literals as they are, references pointed here. */
function valueFor(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (name === 'TABLE_NAME') return TABLE;
  if (name.endsWith('_SECRET_ARN')) return secretArn(name);
  if (name.endsWith('_QUEUE_URL') || name.endsWith('_DLQ_URL')) return `${fake.url}/${ACCOUNT}/${name}`;
  if (name === 'STATE_MACHINE_ARN_PREFIX') return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:`;
  if (name === 'DEFAULT_STATE_MACHINE_ARN') return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:default`;
  return `arn:aws:test:${REGION}:${ACCOUNT}:${name.toLowerCase()}`;
}

function environmentOf(
  stack: OrderflowStack,
  template: Template,
  name: FunctionName,
): Record<string, string> {
  const fn = {
    api: stack.apiFunction,
    authorizer: stack.authorizerFunction,
    'workflow-task': stack.workflowTaskFunction,
    events: stack.eventsFunction,
    'webhook-delivery': stack.webhookDeliveryFunction,
    'stranded-orders': stack.strandedOrdersFunction,
  }[name];
  const id = stack.getLogicalId(fn.function.node.defaultChild as never);
  const variables = template.toJSON().Resources[id].Properties.Environment.Variables as Record<
    string,
    unknown
  >;
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, valueFor(key, value)]));
}

/** Loads the built bundle in a fresh process, as Lambda would, and hands its handler one event. */
async function invoke(name: FunctionName, event: unknown): Promise<any> {
  const bundle = join(outDir, name, 'index.mjs');
  const context = {
    functionName: `orderflow-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orderflow-${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'bundle-test',
    getRemainingTimeInMillis: () => 30_000,
  };
  const script = `
    const { handler } = await import(${JSON.stringify(bundle)});
    const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 30000 };
    const result = await handler(JSON.parse(process.argv[1]), context);
    process.stdout.write('\\n@@result ' + JSON.stringify(result ?? null));`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '--eval', script, JSON.stringify(event)],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...environments.get(name),
        ...fake.endpoints,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_DEV: 'false',
      },
    },
  );
  const marker = stdout.lastIndexOf('@@result ');
  return JSON.parse(stdout.slice(marker + '@@result '.length));
}

/** An HTTP API (payload 2.0) event for the api bundle, as API Gateway builds it. */
function httpEvent(
  method: string,
  route: string,
  path: string,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    pathParameters?: Record<string, string>;
    authorizer?: unknown;
  } = {},
) {
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'bundle',
      domainName: 'bundle.example.com',
      domainPrefix: 'bundle',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'bundle-test' },
      requestId: `req-${Math.random()}`,
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(options.authorizer ? { authorizer: { lambda: options.authorizer } } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

/** The item as DynamoDB stores it (what a stream record's image holds). */
async function rawItem(key: { pk: string; sk: string }) {
  const { Item } = await raw.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new Error(`no item at ${key.pk} ${key.sk}`);
  return Item;
}

let streamSequence = 0;
/** A DynamoDB stream event of one record carrying the item's new image. */
function streamBatch(eventName: 'INSERT' | 'MODIFY', newImage: Record<string, unknown>) {
  streamSequence += 100;
  return {
    Records: [
      {
        eventID: String(streamSequence),
        eventName,
        eventSource: 'aws:dynamodb',
        dynamodb: {
          NewImage: newImage,
          SequenceNumber: String(streamSequence),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
    ],
  };
}

beforeAll(async () => {
  const { stack } = createOrderflowApp({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [] },
  } as never);
  const template = Template.fromStack(stack);
  outDir = mkdtempSync(join(tmpdir(), 'orderflow-bundle-test-'));
  // The bundles have to build first, then the fakes start (their URL goes into the environment).
  await Promise.all(
    FUNCTIONS.map((name) =>
      build({
        ...esbuildOptions(join(root, 'functions', name, 'index.ts'), join(outDir, name, 'index.mjs')),
        logLevel: 'error',
      }),
    ),
  );
  // What the api loads beside its bundle (the layout and simulation workers, the console), as CDK's afterBundling builds it.
  await buildExtraBundles(join(outDir, 'api'));
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
  [dynamo, fake] = await Promise.all([
    startDynamoDbLocal({}),
    startFakeAws({
      [secretArn('ADMIN_KEY_SECRET_ARN')]: ADMIN_KEY,
      [secretArn('CURSOR_SECRET_ARN')]: 'cursor-secret-for-the-bundle-test',
      [secretArn('ACTION_SIGNING_KEY_SECRET_ARN')]: 'action-signing-key-for-the-bundle-test',
    }),
  ]);
  for (const name of FUNCTIONS) environments.set(name, environmentOf(stack, template, name));
  raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, TABLE);
}, 240_000);

afterAll(async () => {
  raw?.destroy();
  await Promise.all([dynamo?.stop(), fake?.stop()]);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the deployed bundles', () => {
  const state: { apiKey?: string; principal?: Record<string, string>; orderId?: string; tenantId?: string } =
    {};

  it('api: creates a tenant with the admin key read from Secrets Manager', async () => {
    const result = await invoke(
      'api',
      httpEvent('POST', '/v1/admin/tenants', '/v1/admin/tenants', {
        body: { name: 'Bundle shop' },
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      }),
    );
    expect(result.statusCode).toBe(201);
    const tenant = JSON.parse(result.body);
    state.apiKey = tenant.apiKey;
    state.tenantId = tenant.tenantId;
    expect(fake.callsTo('secretsmanager.GetSecretValue').map((call) => call.body.SecretId)).toEqual(
      expect.arrayContaining([secretArn('ADMIN_KEY_SECRET_ARN'), secretArn('CURSOR_SECRET_ARN')]),
    );
  });

  it('authorizer: resolves that key to its tenant from the table', async () => {
    const result = await invoke('authorizer', {
      ...httpEvent('POST', '/v1/orders', '/v1/orders', {
        headers: { authorization: `Bearer ${state.apiKey}` },
      }),
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:bundle/$default/POST/v1/orders`,
      identitySource: [`Bearer ${state.apiKey}`],
    });
    expect(result.isAuthorized).toBe(true);
    expect(result.context.tenantId).toBe(state.tenantId);
    state.principal = result.context;
  });

  it('api: answers a create-order event and starts the order on the default state machine', async () => {
    const result = await invoke(
      'api',
      httpEvent('POST', '/v1/orders', '/v1/orders', {
        authorizer: state.principal,
        body: {
          currency: 'GBP',
          customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
          items: [{ sku: 'CARD-100', name: 'Business cards', quantity: 5, unitPrice: 12 }],
          shipping: { method: 'pickup' },
        },
      }),
    );
    expect(result.statusCode).toBe(201);
    const order = JSON.parse(result.body);
    expect(order).toMatchObject({ stage: 'preliminary', version: 1, totals: { items: 60 } });
    state.orderId = order.id;
    const [start] = fake.callsTo('AWSStepFunctions.StartExecution');
    expect(start?.body).toMatchObject({
      stateMachineArn: environments.get('api')?.DEFAULT_STATE_MACHINE_ARN,
      name: order.id,
    });
    expect(JSON.parse(String(start?.body.input))).toMatchObject({ orderId: order.id, stage: 'preliminary' });
  });

  it('api: draws the workflow as SVG with Graphviz built beside the bundle, not in it', async () => {
    const result = await invoke(
      'api',
      httpEvent('GET', '/v1/workflow/diagram', '/v1/workflow/diagram', {
        authorizer: state.principal,
        headers: { accept: 'image/svg+xml' },
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(result.body).toMatch(/<svg[^>]*>[\s\S]*Preliminary[\s\S]*<\/svg>/);
    expect(readFileSync(join(outDir, 'api', 'index.mjs'), 'utf8')).not.toMatch(/graphviz/i);
  });

  it('workflow-task: runs a runActions payload and records the action on the order', async () => {
    const result = await invoke('workflow-task', {
      kind: 'runActions',
      tenantId: state.tenantId,
      orderId: state.orderId,
      stage: 'preliminary',
      entry: 1,
      actions: [{ id: 'announce', type: 'notify', params: { event: 'order.bundle_checked' } }],
    });
    expect(result).toMatchObject({ orderId: state.orderId, stage: 'preliminary', entry: 1 });
    const events = await invoke(
      'api',
      httpEvent('GET', '/v1/orders/{id}/events', `/v1/orders/${state.orderId}/events`, {
        authorizer: state.principal,
        pathParameters: { id: state.orderId as string },
      }),
    );
    expect(JSON.parse(events.body).items.map((event: { type: string }) => event.type)).toEqual([
      'order.created',
      'order.action_succeeded',
      'order.bundle_checked',
    ]);
  });

  it('events and webhook-delivery: a stream batch queues a delivery, and the delivery bundle attempts it', async () => {
    const tenantId = state.tenantId as string;
    const webhookId = newId('wh');
    // Written as the subscription service stores one; a loopback URL, so the attempt is refused
    // by the delivery-time address check and no traffic leaves the machine.
    await new DynamoWebhookStore(
      createDocumentClient({ tableName: TABLE, endpoint: dynamo.endpoint, region: 'local' }),
      TABLE,
    ).createWebhook({
      id: webhookId,
      tenantId,
      url: 'https://127.0.0.1/hooks/orderflow',
      events: ['*'],
      status: 'active',
      createdAt: new Date().toISOString(),
      sealedSecret: Buffer.from('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').toString('base64'),
    } as never);
    const eventItem = await rawItem(keys.orderEvent(tenantId, state.orderId as string, 3));
    const batch = await invoke('events', streamBatch('INSERT', eventItem));
    expect(batch).toEqual({ batchItemFailures: [] });
    const [queued] = fake.callsTo('AmazonSQS.SendMessage');
    expect(queued?.body.QueueUrl).toBe(environments.get('events')?.DELIVERY_QUEUE_URL);
    const message = JSON.parse(String(queued?.body.MessageBody));
    expect(message).toMatchObject({ tenantId, webhookId });

    const delivered = await invoke('webhook-delivery', {
      Records: [{ messageId: 'm-1', body: queued?.body.MessageBody, attributes: {}, messageAttributes: {} }],
    });
    expect(delivered).toEqual({ batchItemFailures: [] });
    const deliveries = await invoke(
      'api',
      httpEvent('GET', '/v1/webhooks/{id}/deliveries', `/v1/webhooks/${webhookId}/deliveries`, {
        authorizer: state.principal,
        pathParameters: { id: webhookId },
      }),
    );
    const [delivery] = JSON.parse(deliveries.body).items;
    expect(delivery.attempts[0].outcome).toBe('refused');
    expect(delivery.attempts[0].error).toMatch(/loopback/);
  });

  it('api and events: a transition signals the waiting execution, and the stream sends it again', async () => {
    const tenantId = state.tenantId as string;
    const orderKey = keys.order(tenantId, state.orderId as string);
    // What the compiled wait writes when the execution parks in the stage.
    await raw.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: orderKey.pk }, sk: { S: orderKey.sk } },
        UpdateExpression: 'SET #token = :token, #stage = :stage',
        ExpressionAttributeNames: {
          '#token': orderAttributes.taskToken,
          '#stage': orderAttributes.taskTokenStage,
        },
        ExpressionAttributeValues: { ':token': { S: 'token-of-the-wait' }, ':stage': { S: 'preliminary' } },
      }),
    );
    const moved = await invoke(
      'api',
      httpEvent('POST', '/v1/orders/{id}/transitions', `/v1/orders/${state.orderId}/transitions`, {
        authorizer: state.principal,
        pathParameters: { id: state.orderId as string },
        body: { to: 'submitted' },
      }),
    );
    expect(moved.statusCode).toBe(200);
    const stored = await rawItem(orderKey);
    const again = await invoke('events', streamBatch('MODIFY', stored));
    expect(again).toEqual({ batchItemFailures: [] });
    const signals = fake.callsTo('AWSStepFunctions.SendTaskSuccess');
    expect(signals.map((call) => call.body.taskToken)).toEqual(['token-of-the-wait', 'token-of-the-wait']);
    for (const signal of signals) {
      expect(JSON.parse(String(signal.body.output))).toMatchObject({
        orderId: state.orderId,
        stage: 'submitted',
      });
    }
  });

  it('stranded-orders: an execution that failed on an unavailable store gets its order a new one', async () => {
    const tenantId = state.tenantId as string;
    const orderId = state.orderId as string;
    const machine = environments.get('stranded-orders')?.DEFAULT_STATE_MACHINE_ARN as string;
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${orderId}`;
    const result = await invoke('stranded-orders', {
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      detail: {
        executionArn,
        stateMachineArn: machine,
        name: orderId,
        status: 'FAILED',
        error: 'Orderflow.StoreUnavailable',
        input: JSON.stringify({ tenantId, orderId, stage: 'submitted', entry: 2, order: {} }),
      },
    });
    expect(result).toEqual({ outcome: 'resumed' });
    expect(fake.callsTo('AWSStepFunctions.DescribeExecution').map((call) => call.body)).toEqual([
      { executionArn },
    ]);
    const restart = fake.callsTo('AWSStepFunctions.StartExecution').at(-1);
    expect(restart?.body).toMatchObject({ stateMachineArn: machine, name: `${orderId}-1` });
  });
});
