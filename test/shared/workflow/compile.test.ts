import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AslDefinition,
  type AslState,
  compileWorkflow,
  MAX_WAIT_SECONDS,
} from '../../../shared/workflow/compile.js';
import { defaultWorkflow, legacyDefaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import {
  type Workflow,
  type WorkflowDocument,
  workflowDocumentSchema,
} from '../../../shared/workflow/schema.js';
import type { ExecutionState, TaskPayload } from '../../../shared/workflow/task-payloads.js';
import { validWorkflowArbitrary } from './arbitraries.js';

const targets = {
  tableName: 'orderflow-orders',
  taskFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orderflow-workflow-task',
};

const compile = (doc: WorkflowDocument) => compileWorkflow(workflowDocumentSchema.parse(doc), targets);

function state(asl: AslDefinition, name: string): AslState {
  const found = asl.States[name];
  if (!found) throw new Error(`no state "${name}" among ${Object.keys(asl.States).join(', ')}`);
  return found;
}

/** A workflow of one working stage `work` with the given actions and transitions, plus finals. */
function oneStage(stage: Partial<WorkflowDocument['stages'][number]>): WorkflowDocument {
  return {
    format: 'orderflow.workflow/v1',
    name: 'One stage',
    initialStage: 'work',
    stages: [
      { id: 'work', transitions: [{ to: 'done' }, { to: 'failed' }], ...stage },
      { id: 'done', final: true },
      { id: 'failed', final: true, onEnter: [{ type: 'inventory.release' }] },
    ],
  };
}

describe('compileWorkflow', () => {
  it('compiles the default workflow to ASL that asl-validator accepts, with readable state names', () => {
    const asl = compileWorkflow(legacyDefaultWorkflow, targets);
    const result = aslValidator(structuredClone(asl));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(asl.StartAt).toBe('preliminary: wait');
    expect(Object.keys(asl.States)).toEqual([
      'Route',
      'preliminary: wait',
      'submitted: wait',
      'confirmed: run actions',
      'confirmed: actions failed',
      'confirmed: wait',
      'completed: wait',
      'shipped: done',
      'cancelled: run actions',
      'cancelled: actions failed',
      'Reload',
      'Action failed',
      'Store unavailable',
      'Unknown stage',
    ]);
  });

  it('routes every stage from the start and fails on an unknown one', () => {
    const route = state(compileWorkflow(legacyDefaultWorkflow, targets), 'Route');
    expect(route.Choices).toContainEqual({
      Variable: '$.stage',
      StringEquals: 'confirmed',
      Next: 'confirmed: run actions',
    });
    expect(route.Choices).toContainEqual({
      Variable: '$.stage',
      StringEquals: 'shipped',
      Next: 'shipped: done',
    });
    expect(route.Default).toBe('Unknown stage');
  });

  it('waits for a manual transition by storing the task token on the order while it is still in the stage', () => {
    const asl = compileWorkflow(legacyDefaultWorkflow, targets);
    const wait = state(asl, 'submitted: wait');
    expect(wait).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:updateItem.waitForTaskToken',
      Parameters: {
        TableName: 'orderflow-orders',
        Key: { pk: { 'S.$': "States.Format('T#{}#O#{}', $.tenantId, $.orderId)" }, sk: { S: 'ORDER' } },
        // The signal that brought the execution here has been delivered: the wait forgets it.
        // The execution's ARN goes with the token: StopExecution and DescribeExecution take it.
        UpdateExpression: 'SET #taskToken = :taskToken, #taskTokenStage = :stage REMOVE #pendingSignal',
        ConditionExpression: '#stage = :stage',
        ExpressionAttributeNames: {
          '#stage': 'stage',
          '#taskToken': 'taskToken',
          '#taskTokenStage': 'taskTokenStage',
          '#pendingSignal': 'pendingSignal',
        },
        ExpressionAttributeValues: {
          ':taskToken': { 'S.$': '$$.Task.Token' },
          ':stage': { S: 'submitted' },
        },
      },
      // Throttles and server errors of the token write are retried; the moved order's condition failure is not.
      Retry: [
        expect.objectContaining({
          ErrorEquals: [
            'DynamoDb.ProvisionedThroughputExceededException',
            'DynamoDb.ThrottlingException',
            'DynamoDb.RequestLimitExceededException',
            'DynamoDb.InternalServerErrorException',
            'DynamoDb.ServiceUnavailableException',
            'DynamoDb.TransactionConflictException',
          ],
          MaxAttempts: 6,
        }),
      ],
      Catch: [
        { ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'], ResultPath: '$.error', Next: 'Reload' },
        // Without a stage timeout the wait re-arms itself when its longest wait is over.
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'submitted: wait' },
      ],
      TimeoutSeconds: MAX_WAIT_SECONDS,
      Next: 'Route',
    });
    // One manual target that is final without actions: the execution ends with the wait.
    expect(state(asl, 'completed: wait')).toMatchObject({ End: true });
    expect(state(asl, 'completed: wait').Next).toBeUndefined();
  });

  it('runs consecutive actions with the same retry and onError in one Task and splits at waits and differences', () => {
    const retry = { maxAttempts: 3, interval: 'PT5S', backoffRate: 2 };
    const asl = compile(
      oneStage({
        onEnter: [
          { type: 'inventory.reserve', retry },
          { type: 'purchase_order.create', retry, supplierFallback: 'paperco' },
          { type: 'wait', duration: 'PT15M', id: 'settle' },
          { type: 'notify', event: 'order.reserved' },
          { type: 'labor.schedule', team: 'press', onError: 'continue' },
        ],
      }),
    );
    const first = state(asl, 'work: run actions 1');
    expect(first.Parameters).toEqual({
      kind: 'runActions',
      'tenantId.$': '$.tenantId',
      'orderId.$': '$.orderId',
      stage: 'work',
      'entry.$': '$.entry',
      actions: [
        { id: 'inventory.reserve-0', type: 'inventory.reserve', params: {} },
        {
          id: 'purchase_order.create-1',
          type: 'purchase_order.create',
          params: { supplierFallback: 'paperco' },
        },
      ],
    });
    expect(first.Resource).toBe(targets.taskFunctionArn);
    expect(first.Next).toBe('work: pause settle');
    expect(state(asl, 'work: pause settle')).toEqual({
      Type: 'Wait',
      Seconds: 900,
      Next: 'work: run actions 2',
    });
    expect(state(asl, 'work: run actions 2').Next).toBe('work: run actions 3');
    expect(state(asl, 'work: run actions 3').Next).toBe('work: wait');
    expect(first.Retry).toEqual([
      { ErrorEquals: ['Orderflow.StageConflict'], MaxAttempts: 0 },
      expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.TooManyRequestsException']) }),
      // A store outage and a timed-out task function are retried before the action's own retry.
      expect.objectContaining({ ErrorEquals: ['Orderflow.StoreUnavailable'], MaxAttempts: 6 }),
      expect.objectContaining({ ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout'], MaxAttempts: 1 }),
      {
        ErrorEquals: ['States.ALL'],
        IntervalSeconds: 5,
        MaxAttempts: 2,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
  });

  it('handles action failures as onError says: fail, continue, or move to another stage', () => {
    const asl = compile(
      oneStage({
        onEnter: [
          { type: 'inventory.reserve' },
          { type: 'http', url: 'https://example.com/a', onError: 'continue' },
          { type: 'notify', event: 'order.a', onError: 'continue' },
          { type: 'notify', event: 'order.b', onError: { transitionTo: 'failed' } },
        ],
      }),
    );
    expect(state(asl, 'work: run actions 1').Catch).toEqual([
      { ErrorEquals: ['Orderflow.StageConflict'], ResultPath: '$.error', Next: 'Reload' },
      // A store that stays unavailable is no failure of the action: the execution ends, to be resumed.
      { ErrorEquals: ['Orderflow.StoreUnavailable'], ResultPath: '$.error', Next: 'Store unavailable' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'work: actions failed 1' },
    ]);
    expect(state(asl, 'Store unavailable')).toMatchObject({
      Type: 'Fail',
      Error: 'Orderflow.StoreUnavailable',
    });
    expect(state(asl, 'work: actions failed 1')).toMatchObject({
      Parameters: {
        kind: 'actionFailed',
        actionIds: ['inventory.reserve-0'],
        onError: 'fail',
        'error.$': '$.error',
      },
      Next: 'Action failed',
    });
    expect(state(asl, 'Action failed')).toMatchObject({ Type: 'Fail', Error: 'Orderflow.ActionFailed' });
    // After recording, the group runs again and skips what is done, so the rest of it still runs.
    expect(state(asl, 'work: actions failed 2')).toMatchObject({
      Parameters: { actionIds: ['http-1', 'notify-2'], onError: 'continue' },
      Next: 'work: run actions 2',
    });
    expect(state(asl, 'work: actions failed 3')).toMatchObject({
      Parameters: { actionIds: ['notify-3'], onError: { transitionTo: 'failed' } },
      Next: 'failed: run actions',
    });
  });

  it("starts new orders at their initial stage's entry when that state checks the stage, else at Route", () => {
    expect(compile(oneStage({ transitions: [{ to: 'done' }] })).StartAt).toBe('work: wait');
    expect(
      compile(oneStage({ onEnter: [{ type: 'inventory.reserve' }], transitions: [{ to: 'done' }] })).StartAt,
    ).toBe('work: run actions');
    // An auto Choice evaluates whatever order it is given: only Route may send an order there.
    const auto = compile(
      oneStage({
        transitions: [{ to: 'done', auto: true, when: { field: 'totals.grand', op: 'lt', value: 5000 } }],
      }),
    );
    expect(auto.StartAt).toBe('Route');
    expect(compile(oneStage({ transitions: [{ to: 'done', auto: true }] })).StartAt).toBe('Route');
  });

  it('tries auto transitions in document order in one Choice before waiting', () => {
    const asl = compile(
      oneStage({
        transitions: [
          { to: 'done', auto: true, when: { field: 'totals.grand', op: 'lt', value: 5000 } },
          { to: 'failed', auto: true, when: { field: 'metadata.po', op: 'exists' } },
          { to: 'done' },
        ],
      }),
    );
    const auto = state(asl, 'work: auto');
    expect(auto.Choices).toEqual([
      // The wait's output comes back here: a manual transition goes on to its target, a
      // change of the waiting order (same stage) re-checks the auto transitions below.
      { Variable: '$.stage', StringEquals: 'done', Next: 'done: done' },
      { Not: { Variable: '$.stage', StringEquals: 'work' }, Next: 'Route' },
      // An order on hold takes no auto transition: it waits, and the release re-checks it.
      {
        And: [
          { Variable: '$.order.onHold', IsPresent: true },
          { Variable: '$.order.onHold', BooleanEquals: true },
        ],
        Next: 'work: wait',
      },
      {
        And: [
          { Variable: '$.order.totals.grand', IsPresent: true },
          { Variable: '$.order.totals.grand', IsNumeric: true },
          { Variable: '$.order.totals.grand', NumericLessThan: 5000 },
        ],
        Next: 'work: move to done (auto)',
      },
      { Variable: '$.order.metadata.po', IsPresent: true, Next: 'work: move to failed (auto)' },
    ]);
    expect(auto.Default).toBe('work: wait');
    expect(state(asl, 'work: move to done (auto)')).toMatchObject({
      Parameters: { kind: 'move', from: 'work', to: 'done', cause: 'auto', 'entry.$': '$.entry' },
      Catch: [
        { ErrorEquals: ['Orderflow.StageConflict'], ResultPath: '$.error', Next: 'Reload' },
        { ErrorEquals: ['Orderflow.OnHold'], ResultPath: null, Next: 'work: wait' },
      ],
      End: true,
    });
    expect(state(asl, 'work: move to failed (auto)').Next).toBe('failed: run actions');
    // It parks only while the order is at the version the Choice evaluated, and loops back to it.
    expect(state(asl, 'work: wait')).toMatchObject({
      Parameters: {
        ConditionExpression: '#stage = :stage AND #order.#version = :version',
        ExpressionAttributeNames: { '#order': 'order', '#version': 'version' },
        ExpressionAttributeValues: { ':version': { 'N.$': 'States.JsonToString($.version)' } },
      },
      Next: 'work: auto',
    });
  });

  it('moves straight on when the first auto transition has no condition, without a Choice or a wait', () => {
    const asl = compile(oneStage({ transitions: [{ to: 'failed', auto: true }] }));
    // The held wait is entered only when the move finds the order on hold.
    expect(Object.keys(asl.States).filter((name) => name.startsWith('work'))).toEqual([
      'work: held (auto)',
      'work: move to failed (auto)',
    ]);
    expect(state(asl, 'work: move to failed (auto)').Catch).toContainEqual({
      ErrorEquals: ['Orderflow.OnHold'],
      ResultPath: null,
      Next: 'work: held (auto)',
    });
    expect(state(asl, 'work: held (auto)')).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:updateItem.waitForTaskToken',
      Parameters: {
        ConditionExpression: '#stage = :stage AND size(#order.#holds) > :none',
        ExpressionAttributeValues: { ':heldStage': { S: 'work#held' } },
      },
      Next: 'work: move to failed (auto)',
    });
    expect(state(asl, 'Route').Choices).toContainEqual(
      expect.objectContaining({ Next: 'work: move to failed (auto)' }),
    );
  });

  it('turns a stage timeout into the wait timeout and a timeout move', () => {
    const asl = compile(oneStage({ timeout: { after: 'P3D', to: 'failed' } }));
    const wait = state(asl, 'work: wait');
    expect(wait.TimeoutSeconds).toBe(3 * 24 * 3600);
    expect(wait.Catch).toContainEqual({
      ErrorEquals: ['States.Timeout'],
      ResultPath: null,
      Next: 'work: move to failed (timeout)',
    });
    expect(state(asl, 'work: move to failed (timeout)')).toMatchObject({
      Parameters: {
        kind: 'move',
        from: 'work',
        to: 'failed',
        cause: 'timeout',
        dueAfterSeconds: 3 * 24 * 3600,
      },
      Next: 'failed: run actions',
    });
    expect(wait.Next).toBe('Route');
  });

  it('splits a stage timeout longer than one wait into re-armed waits checked against the stage entry', () => {
    const asl = compile(oneStage({ timeout: { after: 'P90D', to: 'failed' } }));
    const wait = state(asl, 'work: wait');
    expect(wait.TimeoutSeconds).toBe(MAX_WAIT_SECONDS);
    const move = state(asl, 'work: move to failed (timeout)');
    expect(move.Parameters).toMatchObject({ dueAfterSeconds: 90 * 24 * 3600 });
    expect(move.Catch).toContainEqual({
      ErrorEquals: ['Orderflow.NotYetDue'],
      ResultPath: null,
      Next: 'work: wait',
    });
  });

  it('keeps state names within 80 characters when stage ids are long', () => {
    const long = (letter: string) => letter.repeat(40);
    const asl = compile({
      format: 'orderflow.workflow/v1',
      name: 'Long ids',
      initialStage: long('a'),
      stages: [
        {
          id: long('a'),
          transitions: [
            { to: long('b'), auto: true, when: { field: 'itemCount', op: 'gt', value: 0 } },
            { to: long('b') },
          ],
          timeout: { after: 'PT1H', to: long('b') },
          onEnter: [{ type: 'wait', duration: 'PT1M', id: 'x'.repeat(30) }],
        },
        { id: long('b'), final: true },
      ],
    });
    for (const name of Object.keys(asl.States)) expect(name.length).toBeLessThanOrEqual(80);
    expect(aslValidator(structuredClone(asl)).isValid).toBe(true);
  });

  it('compiles generated valid workflows deterministically to ASL that asl-validator accepts', () => {
    const seed = Date.now();
    const documents = fc.sample(validWorkflowArbitrary, { numRuns: 60, seed });
    const compiled = documents.map((doc) => {
      const asl = compile(doc);
      const again = compile(JSON.parse(JSON.stringify(doc)));
      expect(JSON.stringify(again), `seed ${seed}`).toBe(JSON.stringify(asl));
      return asl;
    });
    // asl-validator builds its JSON schemas on every call (about 0.4 s), so all machines are checked in one go.
    const everyMachine = {
      StartAt: 'All',
      States: {
        All: {
          Type: 'Parallel',
          Branches: compiled.map((asl) => ({ StartAt: asl.StartAt, States: asl.States })),
          End: true,
        },
      },
    };
    // Names repeat across branches, which asl-validator reports; within one machine they are object keys and cannot.
    const errors = aslValidator(structuredClone(everyMachine)).errors.filter(
      (error) => error['Error code'] !== 'DUPLICATE_STATE_NAMES',
    );
    expect(errors, `seed ${seed}`).toEqual([]);
  });
});

describe('the compiled default workflow, run in the local ASL interpreter', () => {
  const start: ExecutionState = {
    tenantId: 't1',
    orderId: 'o1',
    stage: 'preliminary',
    entry: 1,
    order: {
      totals: { grand: 10_000, currency: 'GBP' },
      customer: { email: 'ada@example.com' },
      shipping: { method: 'carrier' },
      metadata: {},
      itemCount: 1,
      backorderedCount: 0,
      pendingItemCount: 1,
      readyItemCount: 0,
      allItemsReady: false,
      onHold: false,
      allItemsShipped: false,
    },
  };

  /** Fakes of the task function and the DynamoDB wait; each wait is signalled at once with `moves[stage]`. */
  type Store = { current: ExecutionState };
  function run(
    workflow: Workflow,
    moves: Record<string, string>,
    handlers: Record<string, (input: any, store: Store) => unknown> = {},
    first: ExecutionState = start,
  ) {
    const asl = compileWorkflow(workflow, targets);
    const store: Store = { current: first };
    const payloads: unknown[] = [];
    const taskResourceLocalHandlers: Record<string, (input: any) => any> = {};
    for (const [name, definition] of Object.entries(asl.States)) {
      if (definition.Type !== 'Task') continue;
      taskResourceLocalHandlers[name] = async (input: any) => {
        payloads.push(input);
        const custom = handlers[name];
        if (custom) return custom(input, store);
        if (definition.Resource === targets.taskFunctionArn) return store.current;
        const stage = name.replace(/: wait$/, '');
        // The wait's condition: the order must still be in the wait's stage.
        if (store.current.stage !== stage) {
          throw Object.assign(new Error('The conditional request failed'), {
            name: 'DynamoDb.ConditionalCheckFailedException',
          });
        }
        const to = moves[stage];
        if (!to) throw new Error(`no move planned from ${stage}`);
        store.current = { ...store.current, stage: to, entry: store.current.entry + 1 };
        return store.current;
      };
    }
    const machine = new StateMachine(asl as ConstructorParameters<typeof StateMachine>[0]);
    const execution = machine.run(first as unknown as Parameters<StateMachine['run']>[0], {
      // Retries happen at once here; their intervals are the definition's business, checked above.
      overrides: {
        taskResourceLocalHandlers,
        retryIntervalOverrides: Object.fromEntries(
          Object.keys(taskResourceLocalHandlers).map((name) => [name, 0]),
        ),
      },
      context: {
        Task: { Token: 'token-1' },
        Execution: { Id: 'arn:aws:states:eu-west-1:123456789012:execution:m:o1' },
      } as never,
    });
    return { execution, payloads };
  }

  async function enteredStates(events: AsyncGenerator<{ type: string; state?: { name: string } }>) {
    const names: string[] = [];
    for await (const event of events)
      if (event.type === 'StateEntered' && event.state) names.push(event.state.name);
    return names;
  }

  it('takes 8 state transitions from preliminary to shipped under the first revision (at most 10)', async () => {
    const { execution, payloads } = run(legacyDefaultWorkflow, {
      preliminary: 'submitted',
      submitted: 'confirmed',
      confirmed: 'completed',
      completed: 'shipped',
    });
    const entered = await enteredStates(execution.eventLogs);
    expect(await execution.result).toMatchObject({ stage: 'shipped', entry: 5 });
    expect(entered).toEqual([
      'preliminary: wait',
      'Route',
      'submitted: wait',
      'Route',
      'confirmed: run actions',
      'confirmed: wait',
      'Route',
      'completed: wait',
    ]);
    expect(entered.length).toBeLessThanOrEqual(10);
    expect(payloads).toContainEqual(
      expect.objectContaining({ Key: { pk: { S: 'T#t1#O#o1' }, sk: { S: 'ORDER' } } }),
    );
    expect(payloads).toContainEqual(
      expect.objectContaining({
        ExpressionAttributeValues: {
          ':taskToken': { S: 'token-1' },
          ':stage': { S: 'confirmed' },
        },
      }),
    );
    expect(payloads).toContainEqual<TaskPayload>({
      kind: 'runActions',
      tenantId: 't1',
      orderId: 'o1',
      stage: 'confirmed',
      entry: 3,
      actions: [
        { id: 'inventory.reserve-0', type: 'inventory.reserve', params: {} },
        { id: 'purchase_order.create-1', type: 'purchase_order.create', params: {} },
      ],
    });
  });

  it('takes 11 under the current revision, whose completed stage re-checks its auto transition', async () => {
    const { execution } = run(
      defaultWorkflow,
      { preliminary: 'submitted', submitted: 'confirmed', confirmed: 'completed', completed: 'shipped' },
      {},
      // The re-checking wait parks only at the version its state was read at.
      { ...start, version: 1 },
    );
    const entered = await enteredStates(execution.eventLogs);
    expect(await execution.result).toMatchObject({ stage: 'shipped', entry: 5 });
    expect(entered).toEqual([
      'preliminary: wait',
      'Route',
      'submitted: wait',
      'Route',
      'confirmed: run actions',
      'confirmed: wait',
      'Route',
      'completed: auto',
      'completed: wait',
      'completed: auto',
      'shipped: done',
    ]);
  });

  it('finds the stage of an order started elsewhere (a retry, a migration) through Reload and Route', async () => {
    const { execution } = run(
      legacyDefaultWorkflow,
      { completed: 'shipped' },
      {},
      { ...start, stage: 'completed', entry: 4 },
    );
    const entered = await enteredStates(execution.eventLogs);
    expect(await execution.result).toMatchObject({ stage: 'shipped', entry: 5 });
    expect(entered).toEqual(['preliminary: wait', 'Reload', 'Route', 'completed: wait']);
  });

  it('writes the task token again when DynamoDB throttles the wait, instead of failing the execution', async () => {
    let writes = 0;
    const { execution } = run(
      defaultWorkflow,
      {},
      {
        'preliminary: wait': (_input, store) => {
          writes++;
          if (writes === 1) {
            throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
              name: 'DynamoDb.ProvisionedThroughputExceededException',
            });
          }
          store.current = { ...start, stage: 'cancelled', entry: 2 };
          return store.current;
        },
      },
    );
    expect(await execution.result).toMatchObject({ stage: 'cancelled', entry: 2 });
    expect(writes).toBe(2);
  });

  it('retries a task whose store was unavailable, so the order moves on once it answers', async () => {
    let reloads = 0;
    const { execution } = run(
      legacyDefaultWorkflow,
      { completed: 'shipped' },
      {
        Reload: (_input, store) => {
          reloads++;
          if (reloads === 1) {
            throw Object.assign(new Error('The data store is unavailable.'), {
              name: 'Orderflow.StoreUnavailable',
            });
          }
          return store.current;
        },
      },
      { ...start, stage: 'completed', entry: 4 },
    );
    expect(await execution.result).toMatchObject({ stage: 'shipped', entry: 5 });
    expect(reloads).toBe(2);
  });

  it('reloads the order and routes again when it moved before the wait began', async () => {
    let waits = 0;
    const { execution, payloads } = run(
      defaultWorkflow,
      {},
      {
        'preliminary: wait': () => {
          waits++;
          throw Object.assign(new Error('The conditional request failed'), {
            name: 'DynamoDb.ConditionalCheckFailedException',
          });
        },
        Reload: (_input, store) => {
          store.current = { ...start, stage: 'cancelled', entry: 2 };
          return store.current;
        },
      },
    );
    const entered = await enteredStates(execution.eventLogs);
    expect(await execution.result).toMatchObject({ stage: 'cancelled', entry: 2 });
    expect(waits).toBe(1);
    expect(entered).toEqual(['preliminary: wait', 'Reload', 'Route', 'cancelled: run actions']);
    expect(payloads).toContainEqual({ kind: 'reload', tenantId: 't1', orderId: 'o1' });
  });
});
