import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStrandedOrdersHandler } from '../../../functions/stranded-orders/handler.js';
import { TABLE_NAME } from '../../../local/stack.js';
import { StepFunctionsEngine } from '../../../shared/adapters/aws/step-functions-engine.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { DynamoOrderStore } from '../../../shared/adapters/dynamodb/order-store.js';
import { DynamoWorkflowStore } from '../../../shared/adapters/dynamodb/workflow-store.js';
import { keys, orderAttributes } from '../../../shared/table.js';
import { builtInDefaultWorkflows } from '../../../shared/workflow/default-workflow.js';
import { eventually } from '../../support/eventually.js';
import { sampleOrder, useStack } from '../../support/stack.js';
import { storeUnstartedOrder } from '../../support/unstarted-order.js';

const api = useStack();
const sfn = mockClient(SFNClient);
const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default';

function handler(clock?: () => Date) {
  const client = createDocumentClient({
    tableName: TABLE_NAME,
    endpoint: api.stack.dynamo.endpoint,
    region: 'local',
  });
  const store = new DynamoOrderStore(client, TABLE_NAME);
  const engine = new StepFunctionsEngine(sfn as unknown as SFNClient, {
    stateMachineArnPrefix: 'arn:aws:states:eu-west-1:123456789012:stateMachine:',
    stateMachineNamePrefix: 'orderflow-',
    executionRoleArn: 'arn:aws:iam::123456789012:role/orderflow-executions',
    defaultStateMachineArn: machine,
    legacyDefaultStateMachineArn:
      'arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-default-legacy',
  });
  return {
    store,
    workflows: new DynamoWorkflowStore(client, TABLE_NAME, builtInDefaultWorkflows),
    handle: createStrandedOrdersHandler(
      { store, workflows: new DynamoWorkflowStore(client, TABLE_NAME, builtInDefaultWorkflows), engine },
      clock,
    ),
  };
}

/** The event EventBridge delivers when an order's execution ends badly. */
async function endedExecution(status: string, error: string | null) {
  const { body } = await api.call('/v1/orders', { method: 'POST', body: sampleOrder });
  // Stop the local one once its wait wrote the order: on AWS this order's execution is the one that just ended.
  await eventually('the execution to wait', async () =>
    api.stack.engine.isWaiting('demo', body.id) ? true : undefined,
  );
  await api.stack.engine.stop({ tenantId: 'demo', orderId: body.id, attempt: 0 });
  const executionArn = `arn:aws:states:eu-west-1:123456789012:execution:orderflow-default:${body.id}`;
  // On AWS the start recorded the ARN StartExecution answered, as the local one did its own.
  await createDocumentClient({
    tableName: TABLE_NAME,
    endpoint: api.stack.dynamo.endpoint,
    region: 'local',
  }).send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: keys.order('demo', body.id),
      UpdateExpression: 'SET #arn = :arn',
      ExpressionAttributeNames: { '#arn': orderAttributes.executionArn },
      ExpressionAttributeValues: { ':arn': executionArn },
    }),
  );
  const input = JSON.stringify({
    tenantId: 'demo',
    orderId: body.id,
    stage: 'preliminary',
    entry: 1,
    order: {},
  });
  return {
    orderId: body.id as string,
    executionArn,
    event: {
      'detail-type': 'Step Functions Execution Status Change' as const,
      detail: { executionArn, status, input, error },
    },
  };
}

beforeEach(() => sfn.reset());

describe('the stranded-orders function', () => {
  it('starts a new execution of an order whose execution failed because its store stayed unavailable', async () => {
    const { handle, store } = handler();
    const { orderId, executionArn, event } = await endedExecution('FAILED', 'Orderflow.StoreUnavailable');
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' } as never);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${executionArn}-1`, startDate: new Date() });
    expect(await handle(event)).toEqual({ outcome: 'resumed' });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn });
    const started = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(started).toMatchObject({ stateMachineArn: machine, name: `${orderId}-1` });
    expect(JSON.parse(started?.input as string)).toMatchObject({
      tenantId: 'demo',
      orderId,
      stage: 'preliminary',
      entry: 1,
    });
    expect(await store.get('demo', orderId)).toMatchObject({ attempt: 1, executionArn: `${executionArn}-1` });
  });

  it('resumes an order whose execution outlived Step Functions’ year', async () => {
    const { handle } = handler();
    const { event } = await endedExecution('TIMED_OUT', null);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'TIMED_OUT' } as never);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
    expect(await handle(event)).toEqual({ outcome: 'resumed' });
  });

  it('leaves an execution that failed for a reason a new one would repeat, and one already replaced', async () => {
    const { handle, store } = handler();
    const unknown = await endedExecution('FAILED', 'Orderflow.UnknownStage');
    expect(await handle(unknown.event)).toEqual({ outcome: 'not-resumable' });
    expect(sfn.calls()).toHaveLength(0);
    expect((await store.get('demo', unknown.orderId))?.attempt).toBe(0);

    const replaced = await endedExecution('FAILED', 'Orderflow.StoreUnavailable');
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' } as never);
    expect(await handle(replaced.event)).toEqual({ outcome: 'live' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('the scheduled sweep of the stranded-orders function', () => {
  const sweep = { 'detail-type': 'Scheduled Event', time: '2026-12-02T02:00:00Z' } as const;

  it('starts the execution an order was owed when its process died after the write, and records its ARN', async () => {
    const { handle, store, workflows } = handler(() => new Date(Date.now() + 60 * 60_000));
    const order = await storeUnstartedOrder(store, workflows, 'demo');
    const startedArn = `arn:aws:states:eu-west-1:123456789012:execution:orderflow-default:${order.id}`;
    sfn.on(StartExecutionCommand).resolves({ executionArn: startedArn, startDate: new Date() });

    expect(await handle(sweep)).toMatchObject({ started: 1, failed: 0 });
    const starts = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(starts).toEqual([{ stateMachineArn: machine, name: order.id, input: expect.any(String) }]);
    expect(JSON.parse(starts[0]?.input as string)).toMatchObject({
      tenantId: 'demo',
      orderId: order.id,
      stage: order.stage,
      entry: 1,
      version: order.version,
    });
    const started = await store.get('demo', order.id);
    expect(started).toMatchObject({ attempt: 0, executionArn: startedArn });
    expect(started?.startOwedSince).toBeUndefined();
    expect(await handle(sweep)).toMatchObject({ owed: 0, started: 0 });
  });

  it('fails the invocation, for the alarm, when an owed start fails again, and keeps it owed', async () => {
    const { handle, store, workflows } = handler(() => new Date(Date.now() + 60 * 60_000));
    const order = await storeUnstartedOrder(store, workflows, 'demo');
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));
    await expect(handle(sweep)).rejects.toThrow('1 of 1 owed executions did not start.');
    expect((await store.get('demo', order.id))?.startOwedSince).toEqual(expect.any(String));
  });
});
