import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { WorkflowTasks } from '../../shared/orders/workflow-tasks.js';
import type { ExecutionState, TaskPayload } from '../../shared/workflow/task-payloads.js';

export const logger = new Logger({ serviceName: 'orderflow-workflow-task' });

/**
 * The workflow-task function: every Lambda Task state of a compiled workflow invokes it with
 * a payload (task-payloads.ts) and continues with the execution state it returns. Errors are
 * thrown with their names, which the definition's Retry and Catch fields match.
 */
export function createTaskHandler(tasks: WorkflowTasks) {
  return middy<TaskPayload, ExecutionState, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (payload) => {
      logger.appendKeys({ tenantId: payload.tenantId, orderId: payload.orderId, task: payload.kind });
      return tasks.handle(payload);
    });
}
