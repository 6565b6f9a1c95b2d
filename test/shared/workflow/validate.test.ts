import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveSafeTarget } from '../../../shared/webhooks/url-safety.js';
import { defaultWorkflowDocument } from '../../../shared/workflow/default-workflow.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';
import { validWorkflowArbitrary } from './arbitraries.js';

/** A small valid workflow; tests change one thing in a copy. */
function baseDocument(): Record<string, any> {
  return {
    format: 'orderflow.workflow/v1',
    name: 'Test',
    initialStage: 'open',
    stages: [
      {
        id: 'open',
        transitions: [
          { to: 'review' },
          { to: 'done', auto: true, when: { field: 'itemCount', op: 'eq', value: 0 } },
        ],
      },
      {
        id: 'review',
        onEnter: [{ type: 'inventory.reserve' }],
        transitions: [{ to: 'done' }, { to: 'open' }],
      },
      { id: 'done', final: true },
    ],
  };
}

function errorsOf(doc: unknown) {
  const result = validateWorkflow(doc);
  expect(result.valid).toBe(false);
  return result.errors;
}

describe('validateWorkflow', () => {
  it('accepts the default workflow and applies the spec defaults', () => {
    const result = validateWorkflow(defaultWorkflowDocument);
    expect(result).toMatchObject({ valid: true, errors: [], warnings: [] });
    const confirmed = result.workflow?.stages[2];
    expect(confirmed).toMatchObject({ id: 'confirmed', label: 'Confirmed', editable: false, final: false });
    expect(confirmed?.onEnter.map((action) => [action.id, 'onError' in action && action.onError])).toEqual([
      ['inventory.reserve-0', 'fail'],
      ['purchase_order.create-1', 'fail'],
    ]);
    expect(result.workflow?.stages[0]?.transitions[1]).toEqual({
      to: 'cancelled',
      auto: false,
      overridesHold: true,
    });
  });

  it('defaults a missing label to the stage id', () => {
    expect(validateWorkflow(baseDocument()).workflow?.stages[0]?.label).toBe('open');
  });

  it('reports every unknown transition target with its path', () => {
    const doc = baseDocument();
    doc.stages[0].transitions[0].to = 'nowhere';
    doc.stages[1].transitions[1].to = 'elsewhere';
    expect(errorsOf(doc)).toEqual(
      expect.arrayContaining([
        { path: '/stages/0/transitions/0/to', message: 'no stage has the id "nowhere"' },
        { path: '/stages/1/transitions/1/to', message: 'no stage has the id "elsewhere"' },
      ]),
    );
  });

  it('lists shape errors and cross-stage errors of one document together', () => {
    const doc = baseDocument();
    doc.format = 'orderflow.workflow/v2';
    doc.stages[0].id = 'Open';
    doc.stages[1].transitions.push({ to: 'review' });
    doc.stages[1].onEnter.push({ type: 'teleport' });
    doc.stages[2].colour = 'red';
    const paths = errorsOf(doc).map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/format',
        '/stages/0/id',
        '/initialStage',
        '/stages/1/transitions/2/to',
        '/stages/1/onEnter/1/type',
        '/stages/2/colour',
      ]),
    );
  });

  it('rejects stage ids that break the pattern, duplicates, and a missing initial stage', () => {
    const doc = baseDocument();
    doc.stages[1].id = '9lives';
    doc.stages.push({ id: 'done', final: true });
    doc.initialStage = 'start';
    const errors = errorsOf(doc);
    expect(errors).toContainEqual({
      path: '/stages/1/id',
      message: 'a stage id matches ^[a-z][a-z0-9_]{0,39}$',
    });
    expect(errors).toContainEqual({
      path: '/stages/3/id',
      message: 'duplicate stage id "done" (also /stages/2)',
    });
    expect(errors).toContainEqual({ path: '/initialStage', message: 'no stage has the id "start"' });
  });

  it('needs between 2 and 100 stages', () => {
    const one = { ...baseDocument(), stages: [{ id: 'done', final: true }], initialStage: 'done' };
    expect(errorsOf(one)).toContainEqual({ path: '/stages', message: 'a workflow has at least 2 stages' });
    const many = {
      ...baseDocument(),
      initialStage: 's0',
      stages: Array.from({ length: 101 }, (_, index) =>
        index === 100
          ? { id: `s${index}`, final: true }
          : { id: `s${index}`, transitions: [{ to: `s${index + 1}` }] },
      ),
    };
    expect(errorsOf(many)).toContainEqual({ path: '/stages', message: 'a workflow has at most 100 stages' });
  });

  it('keeps final stages without transitions and other stages with some', () => {
    const doc = baseDocument();
    doc.stages[2].transitions = [{ to: 'open' }];
    doc.stages[1].transitions = [];
    const errors = errorsOf(doc);
    expect(errors).toContainEqual({
      path: '/stages/2/transitions',
      message: 'a final stage has no transitions',
    });
    expect(errors).toContainEqual({
      path: '/stages/1/transitions',
      message: 'a stage that is not final needs at least one transition',
    });
  });

  it('rejects self transitions and two manual or two auto transitions to one stage, but allows one of each', () => {
    const doc = baseDocument();
    doc.stages[1].transitions.push({ to: 'review' }, { to: 'done' }, { to: 'done', auto: true });
    doc.stages[0].transitions.push({ to: 'done', auto: true });
    const errors = errorsOf(doc);
    expect(errors).toContainEqual({
      path: '/stages/1/transitions/2/to',
      message: 'a stage cannot transition to itself',
    });
    expect(errors).toContainEqual({
      path: '/stages/1/transitions/3/to',
      message: 'another manual transition of this stage already goes to "done"',
    });
    expect(errors).toContainEqual({
      path: '/stages/0/transitions/2/to',
      message: 'another auto transition of this stage already goes to "done"',
    });
    expect(errors.map((error) => error.path)).not.toContain('/stages/1/transitions/4/to');
  });

  it('requires timeout and onError targets to be transition targets of the stage', () => {
    const doc = baseDocument();
    doc.stages[0].timeout = { after: 'P3D', to: 'done' };
    doc.stages[1].timeout = { after: 'PT15M', to: 'review' };
    doc.stages[1].onEnter[0].onError = { transitionTo: 'nowhere' };
    doc.stages[1].onEnter.push({ type: 'notify', event: 'order.held', onError: { transitionTo: 'open' } });
    const errors = errorsOf(doc);
    expect(errors).toEqual([
      { path: '/stages/1/timeout/to', message: '"review" is not a transition target of this stage' },
      {
        path: '/stages/1/onEnter/0/onError/transitionTo',
        message: '"nowhere" is not a transition target of this stage',
      },
    ]);
  });

  it('rejects durations that are malformed, zero, or longer than P365D', () => {
    const doc = baseDocument();
    doc.stages[0].timeout = { after: 'P1Y', to: 'review' };
    doc.stages[1].onEnter.push({ type: 'wait', duration: 'P366D' }, { type: 'wait', duration: 'PT0S' });
    const errors = errorsOf(doc);
    expect(errors.map((error) => error.path)).toEqual([
      '/stages/0/timeout/after',
      '/stages/1/onEnter/1/duration',
      '/stages/1/onEnter/2/duration',
    ]);
    expect(errors[1]?.message).toBe('"P366D" is longer than P365D');
  });

  it('checks action ids, types, parameters and the limit of 20 per stage', () => {
    const doc = baseDocument();
    doc.stages[1].onEnter = [
      { type: 'inventory.reserve', id: 'reserve' },
      { type: 'inventory.release', id: 'reserve' },
      { type: 'labor.schedule' },
      { type: 'http', url: 'http://example.com/hook' },
      { type: 'notify', event: 'X' },
      { type: 'fax', number: '123' },
      { type: 'inventory.reserve', retry: { maxAttempts: 0 } },
    ];
    const errors = errorsOf(doc);
    expect(errors).toContainEqual({
      path: '/stages/1/onEnter/1/id',
      message: 'duplicate action id "reserve" (also /stages/1/onEnter/0)',
    });
    expect(errors).toContainEqual({ path: '/stages/1/onEnter/2/team', message: 'team is required' });
    expect(errors).toContainEqual({
      path: '/stages/1/onEnter/3/url',
      message:
        'URL must use https:// (http:// is allowed only for 127.0.0.1 when local webhooks are enabled)',
    });
    expect(errors).toContainEqual({
      path: '/stages/1/onEnter/4/event',
      message: 'an event type matches ^[a-z][a-z0-9_.]{2,63}$',
    });
    expect(errors.find((error) => error.path === '/stages/1/onEnter/5/type')?.message).toMatch(
      /^unknown action type "fax"; expected one of inventory.reserve, .*wait$/,
    );
    expect(errors.map((error) => error.path)).toContain('/stages/1/onEnter/6/retry/maxAttempts');

    const crowded = baseDocument();
    crowded.stages[1].onEnter = Array.from({ length: 21 }, () => ({ type: 'inventory.reserve' }));
    expect(errorsOf(crowded)).toContainEqual({
      path: '/stages/1/onEnter',
      message: 'a stage has at most 20 onEnter actions',
    });
  });

  it('allows http actions on the local machine only when asked to', () => {
    const doc = baseDocument();
    doc.stages[1].onEnter = [{ type: 'http', url: 'http://127.0.0.1:4000/hook' }];
    expect(validateWorkflow(doc).valid).toBe(false);
    expect(validateWorkflow(doc, { allowLocalHttpUrls: true }).valid).toBe(true);
  });

  it('checks http action URLs by the very rules each call is checked against', async () => {
    const urls = [
      'https://erp.example.com/hook',
      'http://127.0.0.1:4000/hook',
      'http://localhost:4000/hook',
      'http://[::1]:4000/hook',
      'https://h@127.0.0.1/hook',
      'https://user:pw@erp.example.com/hook',
      'http://127.0.0.2/hook',
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest',
      'https://[fd00::1]/hook',
      'https://printer.localhost/hook',
    ];
    for (const allowLocal of [false, true]) {
      for (const url of urls) {
        const doc = baseDocument();
        doc.stages[1].onEnter = [{ type: 'http', url }];
        const atPublish = validateWorkflow(doc, { allowLocalHttpUrls: allowLocal }).valid;
        // A public name resolving to a public address: only the URL itself decides.
        const atCall = await resolveSafeTarget(url, {
          allowLocal,
          lookup: async () => [{ address: '93.184.215.14', family: 4 }],
        });
        expect(atPublish, `${url} (local ${allowLocal})`).toBe(atCall.ok);
      }
    }
  });

  it('refuses built-in event types in notify and emits, except order.shipped in emits', () => {
    const doc = baseDocument();
    doc.stages[1].emits = ['order.created', 'order.shipped', 'shop.reviewed'];
    doc.stages[1].onEnter = [
      { type: 'notify', event: 'order.shipped' },
      { type: 'notify', event: 'order.stage_changed' },
      { type: 'notify', event: 'shop.ready' },
    ];
    expect(errorsOf(doc).map((error) => error.path)).toEqual([
      '/stages/1/onEnter/0/event',
      '/stages/1/onEnter/1/event',
      '/stages/1/emits/0',
    ]);
    expect(errorsOf(doc)[0]?.message).toMatch(/built-in event type/);
  });

  it('refuses auto transitions that can loop forever, naming the loop', () => {
    const doc = baseDocument();
    doc.stages[0].transitions = [{ to: 'review', auto: true }];
    doc.stages[1].transitions = [{ to: 'done' }, { to: 'open', auto: true }];
    const loops = errorsOf(doc).filter((error) => /loop forever/.test(error.message));
    expect(loops.map((error) => error.path)).toEqual(['/stages/0/transitions', '/stages/1/transitions']);
    expect(loops[0]?.message).toContain('"open" → "review" → "open"');
  });

  it('refuses such a loop even when an earlier conditional auto transition might leave it', () => {
    const doc = baseDocument();
    doc.stages[0].transitions = [
      { to: 'done', auto: true, when: { field: 'itemCount', op: 'gt', value: 3 } },
      { to: 'review', auto: true },
    ];
    doc.stages[1].transitions = [{ to: 'done' }, { to: 'open', auto: true }];
    expect(errorsOf(doc).some((error) => /loop forever/.test(error.message))).toBe(true);
  });

  it('accepts an auto loop that needs a condition to hold on the way round', () => {
    const doc = baseDocument();
    doc.stages[0].transitions = [
      { to: 'review', auto: true, when: { field: 'itemCount', op: 'gt', value: 3 } },
    ];
    doc.stages[1].transitions = [{ to: 'done' }, { to: 'open', auto: true }];
    expect(validateWorkflow(doc).valid).toBe(true);
  });

  it('checks emits, requirement names and roles', () => {
    const doc = baseDocument();
    doc.stages[1].emits = ['order.reviewed', 'Bad Event'];
    doc.stages[1].transitions[0].requires = ['items', 'payment'];
    doc.stages[1].transitions[1].roles = ['Reviewer'];
    expect(errorsOf(doc).map((error) => error.path)).toEqual([
      '/stages/1/transitions/0/requires/1',
      '/stages/1/transitions/1/roles/0',
      '/stages/1/emits/1',
    ]);
  });

  it('checks condition fields, operators and value types with precise paths', () => {
    const doc = baseDocument();
    doc.stages[0].transitions[1].when = {
      all: [
        { field: 'totals.net', op: 'eq', value: 1 },
        { field: 'totals.grand', op: 'lt', value: 'a lot' },
        { field: 'metadata.po', op: 'exists', value: 'x' },
        { field: 'customer.email', op: 'matches', value: 3 },
        { field: 'shipping.method', op: 'eq' },
        { field: 'metadata.po', op: 'like', value: 'x' },
        { not: { field: 'customer.email', op: 'matches', value: 'who?' } },
        { all: [], field: 'itemCount' },
      ],
    };
    const base = '/stages/0/transitions/1/when/all';
    expect(errorsOf(doc)).toEqual([
      {
        path: `${base}/0/field`,
        message: '"totals.net" is not a condition field (see CONDITION_FIELDS, or metadata.<key>)',
      },
      { path: `${base}/1/value`, message: 'totals.grand is a number; compare it with a number' },
      { path: `${base}/2/value`, message: '`exists` takes no value' },
      { path: `${base}/3/value`, message: '`matches` needs a string pattern' },
      { path: `${base}/4/value`, message: '`eq` needs a value' },
      {
        path: `${base}/5/op`,
        message: 'op must be one of "eq", "ne", "lt", "lte", "gt", "gte", "exists", "matches"',
      },
      {
        path: `${base}/6/not/value`,
        message: '`?` is not allowed in a pattern (Step Functions has no single-character wildcard)',
      },
      { path: `${base}/7/all`, message: 'all needs at least 1 entry' },
      {
        path: `${base}/7`,
        message: 'a condition has exactly one of `all`, `any`, `not`, or `field` and `op`',
      },
    ]);
  });

  it('limits conditions to 10 levels of nesting', () => {
    let condition: unknown = { field: 'itemCount', op: 'gt', value: 0 };
    for (let level = 1; level < 10; level++) condition = { not: condition };
    const doc = baseDocument();
    doc.stages[0].transitions[1].when = condition;
    expect(validateWorkflow(doc).valid).toBe(true);
    doc.stages[0].transitions[1].when = { any: [condition] };
    expect(errorsOf(doc)).toEqual([
      {
        path: `/stages/0/transitions/1/when/any/0${'/not'.repeat(9)}`,
        message: 'conditions nest at most 10 levels deep',
      },
    ]);
  });

  it('reports stages that cannot reach a final stage as errors and unreachable stages as warnings', () => {
    const doc = baseDocument();
    doc.stages.push(
      { id: 'limbo', transitions: [{ to: 'purgatory' }] },
      { id: 'purgatory', transitions: [{ to: 'limbo' }] },
      { id: 'orphan', transitions: [{ to: 'done' }] },
    );
    doc.stages[1].transitions.push({ to: 'limbo' });
    const result = validateWorkflow(doc);
    expect(result.errors).toEqual([
      { path: '/stages/3', message: 'no final stage can be reached from "limbo"' },
      { path: '/stages/4', message: 'no final stage can be reached from "purgatory"' },
    ]);
    expect(result.warnings).toEqual([
      { path: '/stages/5', message: '"orphan" cannot be reached from the initial stage "open"' },
    ]);
  });

  it('warns about transitions the state machine can never take', () => {
    const doc = baseDocument();
    doc.stages[0].transitions = [
      { to: 'review', auto: true, roles: ['boss'] },
      { to: 'done', auto: true },
      { to: 'done' },
    ];
    const result = validateWorkflow(doc);
    expect(result.valid).toBe(true);
    expect(result.warnings.map((warning) => warning.path)).toEqual([
      '/stages/0/transitions/0/roles',
      '/stages/0/transitions/1',
      '/stages/0/transitions',
    ]);
  });

  it('rejects a workflow whose state machine would exceed the 1 MB definition limit', () => {
    const longUrl = `https://example.com/${'x'.repeat(2000)}`;
    const doc = {
      ...baseDocument(),
      initialStage: 's0',
      stages: Array.from({ length: 100 }, (_, index) =>
        index === 99
          ? { id: `s${index}`, final: true }
          : {
              id: `s${index}`,
              transitions: [{ to: `s${index + 1}` }],
              onEnter: Array.from({ length: 20 }, (_, position) => ({
                type: 'http',
                url: longUrl,
                retry: { maxAttempts: 2 + (position % 2) },
              })),
            },
      ),
    };
    expect(errorsOf(doc)).toEqual([
      {
        path: '',
        message: expect.stringMatching(
          /^the compiled state machine would be about \d+ bytes; Step Functions allows 1048576$/,
        ),
      },
    ]);
  });

  it('rejects documents nested absurdly deep or with absurdly many values without throwing', () => {
    let deep: unknown = {};
    for (let level = 0; level < 100_000; level++) deep = { not: deep };
    const doc = baseDocument();
    doc.stages[0].transitions[1].when = deep;
    expect(errorsOf(doc)[0]?.message).toBe('the document nests deeper than 64 levels');
    expect(errorsOf({ ...baseDocument(), stages: new Array(1_000_000).fill(0) })[0]?.message).toMatch(
      /far too long|more than/,
    );
  });

  it('never throws and always answers with lists, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), mutatedDocument), (input) => {
        const result = validateWorkflow(input);
        expect(Array.isArray(result.errors)).toBe(true);
        expect(Array.isArray(result.warnings)).toBe(true);
        expect(result.valid).toBe(result.errors.length === 0);
        for (const issue of [...result.errors, ...result.warnings]) {
          expect(typeof issue.path).toBe('string');
          expect(typeof issue.message).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every generated valid workflow', () => {
    fc.assert(
      fc.property(validWorkflowArbitrary, (doc) => {
        expect(validateWorkflow(doc).errors).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

/** Valid documents with one value replaced by garbage, to reach the deeper checks. */
const mutatedDocument = fc
  .tuple(validWorkflowArbitrary, fc.nat(), fc.anything())
  .map(([doc, position, garbage]) => {
    const copy = JSON.parse(JSON.stringify(doc));
    const containers: Record<string, unknown>[] = [];
    const collect = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return;
      containers.push(value as Record<string, unknown>);
      for (const child of Object.values(value)) collect(child);
    };
    collect(copy);
    const target = containers[position % containers.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    target[keys[position % Math.max(keys.length, 1)] ?? 'extra'] = garbage;
    return copy;
  });
