import type { Principal } from '../auth/api-keys.js';
import { ProblemError } from '../problem.js';
import type { WorkflowService } from '../workflow/service.js';
import type { SimulateRequest, SimulationResult } from './schema.js';
import type { SimulationInput } from './simulate.js';

export type RunSimulation = (input: SimulationInput) => Promise<SimulationResult>;

/**
 * Simulates the request's workflow: the document given (validated as a publish would, 422
 * with every error), else the version named, else the tenant's active one.
 */
export async function simulateForTenant(
  principal: Principal,
  request: SimulateRequest,
  workflows: WorkflowService,
  run: RunSimulation,
  now: Date,
): Promise<SimulationResult> {
  const base = {
    order: request.order,
    steps: request.steps,
    role: request.role ?? principal.role,
    startAt: now.toISOString(),
  };
  if (request.document !== undefined) {
    const result = workflows.validate(request.document);
    if (!result.workflow) {
      throw new ProblemError(422, 'invalid-workflow', 'The workflow document is not valid.', {
        errors: result.errors.map((error) => ({ ...error, path: `/document${error.path}` })),
      });
    }
    return run({ ...base, workflow: result.workflow });
  }
  const version = request.version ?? (await workflows.active(principal.tenantId)).version;
  const { workflow } = await workflows.version(principal.tenantId, version);
  return run({ ...base, workflow, workflowVersion: version });
}
