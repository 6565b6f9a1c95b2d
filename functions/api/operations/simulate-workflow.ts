import {
  SimulationDeadlineError,
  simulateOffThread,
} from '../../../shared/adapters/node/simulation-thread.js';
import { ProblemError } from '../../../shared/problem.js';
import { simulateForTenant } from '../../../shared/simulation/service.js';
import type { Operation } from './index.js';

export const simulateWorkflow: Operation<'simulateWorkflow'> = async (
  { principal, body },
  { workflows, clock },
) => {
  try {
    const result = await simulateForTenant(principal, body, workflows, simulateOffThread, clock());
    return { statusCode: 200, body: result };
  } catch (error) {
    if (error instanceof SimulationDeadlineError) {
      throw new ProblemError(
        422,
        'simulation-too-long',
        `${error.message} Simulate fewer steps or shorter waits.`,
      );
    }
    throw error;
  }
};
