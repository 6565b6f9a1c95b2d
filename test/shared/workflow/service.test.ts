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
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import type { WorkflowEngine } from '../../../shared/orders/workflow-engine.js';
import { ProblemError } from '../../../shared/problem.js';
import { builtInDefaults, builtInDefaultWorkflows } from '../../../shared/workflow/default-workflow.js';
import { WorkflowService } from '../../../shared/workflow/service.js';
import { useStack } from '../../support/stack.js';

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
