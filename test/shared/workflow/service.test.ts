import { randomBytes } from 'node:crypto';
import {
  ConflictException,
  CreateStateMachineCommand,
  SFNClient,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../../local/stack.js';
import { StepFunctionsEngine } from '../../../shared/adapters/aws/step-functions-engine.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import { MemoryWorkflowEngine } from '../../../shared/adapters/memory/workflow-engine.js';
import { ConflictError } from '../../../shared/errors.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest, type Order } from '../../../shared/orders/schema.js';
import { OrderService } from '../../../shared/orders/service.js';
import type { WorkflowEngine } from '../../../shared/orders/workflow-engine.js';
import { ProblemError } from '../../../shared/problem.js';
import { builtInDefaults, builtInDefaultWorkflows } from '../../../shared/workflow/default-workflow.js';
import { WorkflowService } from '../../../shared/workflow/service.js';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();
const targets = {
  tableName: TABLE_NAME,
  taskFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orderflow-workflow-task',
};
let tenants = 0;
const principal = () => ({
  tenantId: `publish-${++tenants}-${Date.now()}`,
  keyId: 'key_1',
  role: 'admin',
  scopes: ['*'] as const,
});

/** Publishes into the stack's DynamoDB Local through the given engine, counting its deploys. */
function serviceWith(deploy: WorkflowEngine['deploy']) {
  const deployed: number[] = [];
  const engine = {
    deploy: async (tenantId: string, version: number, asl: string) => {
      deployed.push(version);
      return deploy(tenantId, version, asl);
    },
  } as WorkflowEngine;
  const store = new DynamoWorkflowStore(
    createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
    TABLE_NAME,
    builtInDefaultWorkflows,
  );
  return {
    service: new WorkflowService(store, engine, targets, builtInDefaults),
    deployed,
  };
}

/** 40 stages that reach each other: a 48 KB document whose compiled definition is about 630 KB. */
function fortyStages() {
  const ids = Array.from({ length: 40 }, (_, index) => `s${index}`);
  return {
    format: 'orderflow.workflow/v1',
    name: 'Forty stages',
    initialStage: 's0',
    stages: ids.map((id, index) =>
      index === ids.length - 1
        ? { id, final: true }
        : {
            id,
            onEnter: [{ type: 'notify', event: `order.${id}` }],
            transitions: ids
              .filter((other) => other !== id)
              .map((to, at) =>
                at % 4 === 0
                  ? { to, auto: true, when: { field: 'metadata.total', op: 'gt', value: at } }
                  : { to },
              ),
          },
    ),
  };
}

/** Valid, but its random action URLs cannot be compressed: the version does not fit one item. */
function incompressible() {
  const stages = Array.from({ length: 15 }, (_, index) => ({
    id: `s${index}`,
    onEnter: Array.from({ length: 10 }, () => ({
      type: 'http',
      url: `https://example.com/${randomBytes(1400).toString('hex').slice(0, 1900)}`,
    })),
    transitions: [{ to: 'done' }],
  }));
  return {
    format: 'orderflow.workflow/v1',
    name: 'Incompressible',
    initialStage: 's0',
    stages: [...stages, { id: 'done', final: true }],
  };
}

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as ProblemError;
  }
  throw new Error('expected the publish to be refused');
};

describe('publishing a workflow version', () => {
  it('stores a version whose compiled definition is larger than a DynamoDB item, and reads it back whole', async () => {
    const { service } = serviceWith(async () => ({
      executionTarget: 'arn:aws:states:eu-west-1:1:stateMachine:m:1',
    }));
    const who = principal();
    const document = fortyStages();
    const { version } = await service.publish(who, document);
    const stored = await service.version(who.tenantId, version);
    expect(Buffer.byteLength(stored.asl)).toBeGreaterThan(409_600);
    expect(stored.document).toEqual(document);
    expect(stored.executionTarget).toBe('arn:aws:states:eu-west-1:1:stateMachine:m:1');
    expect((await service.summaries(who.tenantId, 10)).versions.map((summary) => summary.version)).toEqual([
      1, 0,
    ]);
  });

  it('refuses a version too large to store in validate and publish alike, before publishing anything', async () => {
    const { service, deployed } = serviceWith(async () => ({}));
    const document = incompressible();
    const checked = service.validate(document);
    expect(checked.valid).toBe(false);
    expect(checked.errors).toEqual([
      { path: '', message: expect.stringMatching(/bytes to store, compressed; at most 400000 fit/) },
    ]);
    const refused = await rejection(service.publish(principal(), document));
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused.status).toBe(422);
    expect(deployed).toEqual([]);
  });

  it('leaves no version behind when the engine fails to publish, so the next upload takes the same number', async () => {
    let fail = true;
    const { service } = serviceWith(async () => {
      if (fail) throw new Error('Step Functions is unreachable');
      return {};
    });
    const who = principal();
    await expect(service.publish(who, fortyStages())).rejects.toThrow('Step Functions is unreachable');
    expect((await service.summaries(who.tenantId, 10)).versions.map((summary) => summary.version)).toEqual([
      0,
    ]);
    await expect(service.version(who.tenantId, 1)).rejects.toMatchObject({ status: 404 });
    fail = false;
    expect((await service.publish(who, fortyStages())).version).toBe(1);
  });

  it('answers 409 to the second of two concurrent uploads, which publishes nothing', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { service, deployed } = serviceWith(async () => {
      await held;
      return {};
    });
    const who = principal();
    const first = service.publish(who, fortyStages());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await rejection(service.publish(who, fortyStages()));
    release();
    expect(second.status).toBe(409);
    expect((await first).version).toBe(1);
    expect(deployed).toEqual([1]);
  });

  it.each([
    [
      'ConflictException',
      'an update of the machine already in progress',
      () => new ConflictException({ message: 'in progress', $metadata: {} }),
    ],
    [
      'StateMachineAlreadyExists',
      "the tenant's first upload racing another",
      () => new StateMachineAlreadyExists({ message: 'exists', $metadata: {} }),
    ],
  ])('answers 409 when Step Functions reports %s (%s)', async (_name, _why, error) => {
    const sfn = mockClient(SFNClient);
    sfn
      .on(UpdateStateMachineCommand)
      .rejects(new StateMachineDoesNotExist({ message: 'none', $metadata: {} }));
    sfn.on(CreateStateMachineCommand).rejects(error());
    const engine = new StepFunctionsEngine(sfn as unknown as SFNClient, {
      stateMachineArnPrefix: 'arn:aws:states:eu-west-1:123456789012:stateMachine:',
      stateMachineNamePrefix: 'orderflow-',
      executionRoleArn: 'arn:aws:iam::123456789012:role/orderflow-executions',
      defaultStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default',
      legacyDefaultStateMachineArn:
        'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default-legacy',
    });
    const { service } = serviceWith((tenantId, version, asl) => engine.deploy(tenantId, version, asl));
    const who = principal();
    const refused = await rejection(service.publish(who, fortyStages()));
    sfn.restore();
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused.status).toBe(409);
    expect(refused.toProblem()).toMatchObject({
      status: 409,
      title: expect.any(String),
      detail: expect.stringMatching(/retry/),
    });
    // Nothing was published, so nothing is reserved: the retry gets version 1.
    expect((await service.summaries(who.tenantId, 10)).versions.map((summary) => summary.version)).toEqual([
      0,
    ]);
  });
});

/** Two stages: an order waits in `new` until it is moved to the final `done`. */
const twoStages = (name: string) => ({
  format: 'orderflow.workflow/v1',
  name,
  initialStage: 'new',
  stages: [
    { id: 'new', transitions: [{ to: 'done' }] },
    { id: 'done', final: true },
  ],
});

const HOUR_MS = 60 * 60 * 1000;

/** Publishes into DynamoDB Local through an engine that holds at most `limit` versions per tenant. */
function pruningSetUp(limit: number) {
  const documents = createDocumentClient({
    tableName: TABLE_NAME,
    endpoint: api.stack.dynamo.endpoint,
    region: 'local',
  });
  const store = new DynamoWorkflowStore(documents, TABLE_NAME, builtInDefaultWorkflows);
  const orders = new DynamoOrderStore(documents, TABLE_NAME);
  const engine = new MemoryWorkflowEngine(limit);
  const clock = { offsetMs: 0 };
  const service = new WorkflowService(store, engine, targets, builtInDefaults, {}, () => {
    return new Date(Date.now() + clock.offsetMs);
  });
  const who = principal();
  const target = (version: number) => `memory:${who.tenantId}:${version}`;
  const orderOn = async (workflowVersion: number): Promise<Order> => {
    const order = newOrder({
      request: CreateOrderRequest.parse(sampleOrder),
      stage: 'new',
      workflowVersion,
      now: new Date(),
    });
    await orders.create(who.tenantId, order, []);
    return order;
  };
  const finish = async (order: Order) => {
    const record = await orders.get(who.tenantId, order.id);
    if (!record) throw new Error('the order is gone');
    await orders.update(who.tenantId, record, {
      order: { ...order, stage: 'done', version: order.version + 1, updatedAt: new Date().toISOString() },
      events: [],
      enterStage: true,
      releasesWorkflowVersion: true,
    });
  };
  const moveTo = async (order: Order, workflowVersion: number) => {
    const record = await orders.get(who.tenantId, order.id);
    if (!record) throw new Error('the order is gone');
    await orders.update(who.tenantId, record, {
      order: { ...record.order, workflow: { version: workflowVersion }, version: record.order.version + 1 },
      events: [],
      attempt: record.attempt + 1,
    });
  };
  const orderService = new OrderService(orders, store, engine);
  return { service, store, engine, clock, who, target, orderOn, finish, moveTo, orderService };
}

describe('pruning state machine versions when the engine holds as many as it allows', () => {
  it('deletes superseded versions no open order runs, and keeps the active one and those an open order runs', async () => {
    const { service, store, engine, clock, who, target, orderOn, finish } = pruningSetUp(3);
    for (const name of ['one', 'two', 'three']) await service.publish(who, twoStages(name));
    await finish(await orderOn(1));
    await orderOn(2);
    clock.offsetMs = HOUR_MS;
    expect((await service.publish(who, twoStages('four'))).version).toBe(4);
    expect(engine.removed).toEqual([target(1)]);
    // An order done with version 1 still reads it; no order may move onto it any more.
    expect(await service.version(who.tenantId, 1)).toMatchObject({ version: 1, retired: true });
    expect((await service.version(who.tenantId, 2)).retired).toBeUndefined();
    expect(await store.isPinned(who.tenantId, 2)).toBe(true);
    // Version 4 superseded version 3, which no order runs: the next full engine prunes it, not 2.
    expect((await service.publish(who, twoStages('five'))).version).toBe(5);
    expect(engine.removed).toEqual([target(1), target(3)]);
  });

  it('answers 409 problem+json naming the way out when every version is in use, and keeps nothing reserved', async () => {
    const { service, store, engine, clock, who, orderOn } = pruningSetUp(2);
    await service.publish(who, twoStages('one'));
    await service.publish(who, twoStages('two'));
    await orderOn(1);
    clock.offsetMs = HOUR_MS;
    const refused = await rejection(service.publish(who, twoStages('three')));
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused.toProblem()).toMatchObject({
      type: expect.stringMatching(/workflow-versions-exhausted$/),
      status: 409,
      detail: expect.stringMatching(/Migrate open orders to the active version/),
    });
    expect(engine.removed).toEqual([]);
    // The version the open order runs was retired only while its pins were read.
    expect((await store.version(who.tenantId, 1))?.retired).toBeUndefined();
    expect((await service.summaries(who.tenantId, 10)).versions.map((summary) => summary.version)).toEqual([
      2, 1, 0,
    ]);
  });

  it('keeps a version superseded moments ago, which an order being created may still pin', async () => {
    const { service, engine, who } = pruningSetUp(2);
    await service.publish(who, twoStages('one'));
    await service.publish(who, twoStages('two'));
    await expect(service.publish(who, twoStages('three'))).rejects.toMatchObject({ status: 409 });
    expect(engine.removed).toEqual([]);
  });

  it("moves an order's pin with a migration, and refuses a migration onto a version pruned since it was read", async () => {
    const { service, store, clock, who, orderOn, moveTo, orderService } = pruningSetUp(3);
    for (const name of ['one', 'two', 'three']) await service.publish(who, twoStages(name));
    const moving = await orderOn(1);
    await moveTo(moving, 3);
    expect(await store.isPinned(who.tenantId, 1)).toBe(false);
    expect(await store.isPinned(who.tenantId, 3)).toBe(true);
    const late = await orderOn(3);
    clock.offsetMs = HOUR_MS;
    await service.prune(who.tenantId);
    expect((await store.version(who.tenantId, 2))?.retired).toBe(true);
    await expect(moveTo(late, 2)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.isPinned(who.tenantId, 2)).toBe(false);
    const refused = await rejection(orderService.migrate(who, late.id, 2));
    expect(refused.toProblem()).toMatchObject({ status: 409, detail: expect.stringMatching(/was pruned/) });
  });
});

describe('orders pinning the version they run, on the local stack', () => {
  it('pin the version from creation until they rest in its final stage', async () => {
    const tenant = await api.newTenant('Pinning shop');
    const call = (path: string, options: Parameters<typeof api.call>[1] = {}) =>
      api.call(path, { ...options, key: tenant.apiKey });
    expect((await call('/v1/workflow', { method: 'PUT', body: twoStages('pins') })).status).toBe(201);
    const created = await call('/v1/orders', { method: 'POST', body: sampleOrder });
    expect(created.status).toBe(201);
    const store = new DynamoWorkflowStore(
      createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint, region: 'local' }),
      TABLE_NAME,
      builtInDefaultWorkflows,
    );
    expect(await store.isPinned(tenant.tenantId, 1)).toBe(true);
    const moved = await call(`/v1/orders/${created.body.id}/transitions`, {
      method: 'POST',
      body: { to: 'done' },
    });
    expect(moved.status).toBe(200);
    expect(await store.isPinned(tenant.tenantId, 1)).toBe(false);
  });
});
