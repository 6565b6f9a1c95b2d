import type { WorkflowDocument } from '../../shared/workflow/schema.js';

/**
 * A valid workflow whose diagram is as hard to lay out as a document gets: `stages` stages,
 * the last one final, every other one with manual transitions to the next `perStage` stages
 * (wrapping around), `stages × perStage` transitions in all.
 */
export function denseWorkflow(stages: number, perStage: number): WorkflowDocument {
  const id = (index: number) => `s${index}`;
  return {
    format: 'orderflow.workflow/v1',
    name: `Dense ${stages}×${perStage}`,
    initialStage: id(0),
    stages: Array.from({ length: stages }, (_, index) =>
      index === stages - 1
        ? { id: id(index), final: true }
        : {
            id: id(index),
            transitions: Array.from({ length: Math.min(perStage, stages - 1) }, (_, step) => ({
              to: id((index + 1 + step) % stages),
            })),
          },
    ),
  };
}
