import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/orders/schema.js';
import { holdsWorkflowVersion } from '../../../shared/orders/workflow-pins.js';

const workflow = {
  initialStage: 'new',
  stages: [{ id: 'new' }, { id: 'done', final: true }],
};
const record = (stage: string, state: Order['actions']['state'], halted: boolean) => ({
  order: { stage, actions: { state, failed: [] } } as unknown as Order,
  halted,
});
const states = ['none', 'running', 'succeeded', 'failed'] as const;

describe('an order holding its workflow version', () => {
  it('holds it in any stage but a final one, whatever its actions', () => {
    for (const state of states) {
      for (const halted of [false, true]) {
        expect(holdsWorkflowVersion(record('new', state, halted), workflow)).toBe(true);
      }
    }
  });

  it('holds it in a final stage only while its actions run or a failed one waits for a retry', () => {
    const held = states.flatMap((state) =>
      [false, true]
        .filter((halted) => holdsWorkflowVersion(record('done', state, halted), workflow))
        .map((halted) => `${state}${halted ? ' (halted)' : ''}`),
    );
    expect(held).toEqual([
      'none (halted)',
      'running',
      'running (halted)',
      'succeeded (halted)',
      'failed (halted)',
    ]);
  });
});
