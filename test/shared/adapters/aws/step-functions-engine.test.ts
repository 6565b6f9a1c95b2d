import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleOrder } from '../../../../local/sample-order.js';
import { StepFunctionsEngine } from '../../../../shared/adapters/aws/step-functions-engine.js';
import { MemoryOrderStore } from '../../../../shared/adapters/memory/order-store.js';
import { MemoryWorkflowStore } from '../../../../shared/adapters/memory/workflow-store.js';
import { CreateOrderRequest } from '../../../../shared/orders/schema.js';
import { OrderService } from '../../../../shared/orders/service.js';
import { defaultWorkflow } from '../../../../shared/workflow/default-workflow.js';
import type { Workflow } from '../../../../shared/workflow/schema.js';

const sfn = mockClient(SFNClient);
const config = {
  stateMachineArnPrefix: 'arn:aws:states:eu-west-1:123456789012:stateMachine:',
  stateMachineNamePrefix: 'orderflow-',
  executionRoleArn: 'arn:aws:iam::123456789012:role/orderflow-executions',
  defaultStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default',
  legacyDefaultStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default-legacy',
};
const engine = new StepFunctionsEngine(sfn as unknown as SFNClient, config);
const state = { tenantId: 'ten_1', orderId: 'ord_1', stage: 'preliminary', entry: 1, order: {} as never };
const smithyError = <E>(ErrorClass: new (options: { message: string; $metadata: object }) => E) =>
  new ErrorClass({ message: 'from the mock', $metadata: {} });

beforeEach(() => sfn.reset());

describe('the Step Functions engine', () => {
  it('publishes a version of the tenant machine, creating the machine on first upload', async () => {
    sfn.on(UpdateStateMachineCommand).rejects(smithyError(StateMachineDoesNotExist));
    sfn.on(CreateStateMachineCommand).resolves({
      stateMachineArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1`,
      stateMachineVersionArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:1`,
      creationDate: new Date(),
    });
    const deployed = await engine.deploy('ten_1', 1, '{"StartAt":"Route"}');
    expect(deployed).toEqual({ executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:1` });
    expect(sfn.commandCalls(UpdateStateMachineCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1`,
      definition: '{"StartAt":"Route"}',
      publish: true,
      versionDescription: 'workflow version 1',
    });
    expect(sfn.commandCalls(CreateStateMachineCommand)[0]?.args[0].input).toEqual({
      name: 'orderflow-tenant-ten_1',
      definition: '{"StartAt":"Route"}',
      roleArn: config.executionRoleArn,
      type: 'STANDARD',
      publish: true,
      versionDescription: 'workflow version 1',
    });
  });

  it('runs orders pinned to the first built-in default on its own machine, and newer ones on the current', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:started', startDate: new Date() });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const builtIn = { tenantId: 'ten_1', orderId: 'ord_9', workflowVersion: 0, attempt: 0, state };
    await engine.start({ ...builtIn, workflowRevision: 1 });
    await engine.start({ ...builtIn, workflowRevision: 2 });
    await engine.stop({ tenantId: 'ten_1', orderId: 'ord_9', attempt: 0, workflowRevision: 1 });
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.stateMachineArn)).toEqual(
      [config.legacyDefaultStateMachineArn, config.defaultStateMachineArn],
    );
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toMatchObject({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-default-legacy:ord_9',
    });
  });

  it('publishes later uploads as new versions of the existing machine', async () => {
    sfn.on(UpdateStateMachineCommand).resolves({
      updateDate: new Date(),
      stateMachineVersionArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
    });
    expect(await engine.deploy('ten_1', 2, '{}')).toEqual({
      executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
    });
    expect(sfn.commandCalls(CreateStateMachineCommand)).toHaveLength(0);
  });

  it('starts executions on the pinned version, named after the order, and answers the ARN Step Functions gave', async () => {
    const startedArn = 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-tenant-ten_1:ord_1';
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: startedArn, startDate: new Date() });
    const started = await engine.start({
      tenantId: 'ten_1',
      orderId: 'ord_1',
      workflowVersion: 2,
      executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
      attempt: 0,
      state,
    });
    expect(started).toEqual({ executionArn: startedArn });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
      name: 'ord_1',
      input: JSON.stringify(state),
    });
  });

  it('treats a second start of the same execution as done, answering the ARN of the execution of that name', async () => {
    // Step Functions names no ARN when the execution exists with another input, or is over.
    sfn.on(StartExecutionCommand).rejects(smithyError(ExecutionAlreadyExists));
    const again = await engine.start({
      tenantId: 'ten_1',
      orderId: 'ord_1',
      workflowVersion: 2,
      executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
      attempt: 1,
      state,
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
      name: 'ord_1-1',
    });
    expect(again).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-tenant-ten_1:ord_1-1',
    });
  });

  it('refuses a StartExecution answer without an ARN rather than record none', async () => {
    sfn.on(StartExecutionCommand).resolves({ startDate: new Date() } as never);
    await expect(
      engine.start({ tenantId: 'ten_1', orderId: 'ord_1', workflowVersion: 0, attempt: 0, state }),
    ).rejects.toThrow('no executionArn');
  });

  it('signals with the stored token and answers "expired" for a token whose wait is over', async () => {
    sfn.on(SendTaskSuccessCommand).resolvesOnce({}).rejects(smithyError(TaskTimedOut));
    expect(await engine.signal('token-1', state)).toBe('delivered');
    expect(await engine.signal('token-1', state)).toBe('expired');
    sfn.on(SendTaskSuccessCommand).rejects(smithyError(TaskDoesNotExist));
    expect(await engine.signal('token-1', state)).toBe('expired');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify(state),
    });
  });

  it('stops a replaced execution by its ARN under the machine, not the version', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await engine.stop({
      tenantId: 'ten_1',
      orderId: 'ord_1',
      attempt: 1,
      executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:2`,
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toMatchObject({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-tenant-ten_1:ord_1-1',
    });
  });

  it('lets other failures through, so the caller can retry them', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new Error('throttled'));
    await expect(engine.signal('token-2', state)).rejects.toThrow('throttled');
  });

  it('stops an execution by the ARN recorded on the order when it started, when it is the attempt being stopped', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const recorded = 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-tenant-ten_1:ord_1-2';
    await engine.stop({ tenantId: 'ten_1', orderId: 'ord_1', attempt: 2, executionArn: recorded });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input.executionArn).toBe(recorded);
  });

  it('tells a running execution from one that failed, timed out or never started, by DescribeExecution', async () => {
    const recorded = 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-tenant-ten_1:ord_1';
    const ref = { tenantId: 'ten_1', orderId: 'ord_1', attempt: 0, executionArn: recorded };
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'FAILED' } as never)
      .resolvesOnce({ status: 'TIMED_OUT' } as never);
    expect(await engine.isLive(ref)).toBe(true);
    expect(await engine.isLive(ref)).toBe(false);
    expect(await engine.isLive(ref)).toBe(false);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: recorded },
      { executionArn: recorded },
      { executionArn: recorded },
    ]);
    sfn.reset();
    sfn.on(DescribeExecutionCommand).rejects(smithyError(ExecutionDoesNotExist));
    // The recorded ARN is an earlier attempt's: the one this attempt has is asked about.
    expect(await engine.isLive({ ...ref, attempt: 1 })).toBe(false);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:orderflow-default:ord_1-1',
    });
  });
});

describe('the execution ARN an order keeps', () => {
  it('is the one StartExecution answered, and it is what StopExecution gets when a migration replaces the execution', async () => {
    const store = new MemoryOrderStore();
    const workflows = new MemoryWorkflowStore<Workflow>(defaultWorkflow);
    const reserved = await workflows.reserve('ten_1', {
      workflow: defaultWorkflow,
      executionTarget: `${config.stateMachineArnPrefix}orderflow-tenant-ten_1:1`,
      document: {},
      asl: '{}',
      aslSha256: '',
      publishedBy: { type: 'system' },
      publishedAt: '2026-12-01T00:00:00.000Z',
    });
    await workflows.activate('ten_1', reserved);
    const orders = new OrderService(store, workflows, engine);
    const principal = { tenantId: 'ten_1', keyId: 'key_1', role: 'admin', scopes: ['*'] } as const;
    // Answers that no rebuilding from the machine's name would produce.
    const answered = (name: string) =>
      `arn:aws:states:eu-west-1:123456789012:execution:answered-by-sfn:${name}`;
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string }) => ({
      executionArn: answered(input.name),
      startDate: new Date(),
    }));
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });

    const order = await orders.create(principal, CreateOrderRequest.parse(sampleOrder), () => undefined);
    expect(await store.get('ten_1', order.id)).toMatchObject({ executionArn: answered(order.id) });
    await orders.migrate(principal, order.id, 0);

    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: answered(order.id), cause: 'Replaced by a newer execution of the order.' },
    ]);
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ stateMachineArn: reserved.executionTarget, name: order.id }),
      expect.objectContaining({ stateMachineArn: config.defaultStateMachineArn, name: `${order.id}-1` }),
    ]);
    const migrated = await store.get('ten_1', order.id);
    expect(migrated).toMatchObject({ attempt: 1, executionArn: answered(`${order.id}-1`) });
    expect(migrated?.startOwedSince).toBeUndefined();
  });
});
