/**
 * How long validating and compiling the largest allowed workflow takes (100 stages,
 * 5 actions each), how close its ASL comes to Step Functions' 1 MB limit, and how many
 * states the default workflow compiles to. Run: npx tsx bench/workflow-compile.ts
 */
import { compileWorkflow } from '../shared/workflow/compile.js';
import { defaultWorkflow } from '../shared/workflow/default-workflow.js';
import type { WorkflowDocument } from '../shared/workflow/schema.js';
import { MAX_ASL_BYTES, validateWorkflow } from '../shared/workflow/validate.js';

const targets = {
  tableName: 'orderflow-table',
  taskFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orderflow-workflow-task',
};
const RUNS = 20;

const retry = { maxAttempts: 3, interval: 'PT5S', backoffRate: 2 };
const largest: WorkflowDocument = {
  format: 'orderflow.workflow/v1',
  name: 'Largest',
  initialStage: 's0',
  stages: Array.from({ length: 100 }, (_, index) =>
    index === 99
      ? { id: `s${index}`, final: true, onEnter: [{ type: 'notify' as const, event: 'order.done' }] }
      : {
          id: `s${index}`,
          label: `Stage ${index}`,
          onEnter: [
            { type: 'inventory.reserve' as const, retry },
            { type: 'labor.schedule' as const, team: 'press', hoursPerUnit: 0.1, dueIn: 'P2D', retry },
            { type: 'wait' as const, duration: 'PT1H' },
            {
              type: 'http' as const,
              url: `https://erp.example.com/orders/stage-${index}`,
              onError: 'continue' as const,
            },
            { type: 'notify' as const, event: `order.stage_${index}`, onError: { transitionTo: 's99' } },
          ],
          transitions: [
            {
              to: `s${index + 1}`,
              auto: true,
              when: { field: 'totals.grand', op: 'lt' as const, value: 50_000 },
            },
            { to: `s${index + 1}`, roles: ['manager'] },
            { to: 's99' },
            // s98's next stage is s99 already; a second manual transition there would be a duplicate.
          ].filter((_, position) => position < 2 || index !== 98),
          timeout: { after: 'P30D', to: 's99' },
        },
  ),
};

const timings: number[] = [];
let aslBytes = 0;
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const result = validateWorkflow(largest);
  if (!result.workflow) throw new Error(JSON.stringify(result.errors.slice(0, 5)));
  aslBytes = Buffer.byteLength(JSON.stringify(compileWorkflow(result.workflow, targets)));
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
const median = ((timings[RUNS / 2 - 1] ?? 0) + (timings[RUNS / 2] ?? 0)) / 2;
const defaultStates = Object.keys(compileWorkflow(defaultWorkflow, targets).States).length;

console.log(`100 stages x 5 actions: validate + compile median ${median.toFixed(1)} ms over ${RUNS} runs`);
console.log(
  `ASL size: ${aslBytes} bytes of ${MAX_ASL_BYTES} (${((aslBytes / MAX_ASL_BYTES) * 100).toFixed(1)}% of the limit)`,
);
console.log(`default workflow: ${defaultStates} states`);
