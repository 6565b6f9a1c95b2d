import { transitionOptions } from '../../../shared/orders/allowed-transitions.js';
import { workflowRefOf } from '../../../shared/orders/workflow-source.js';
import type { Operation } from './index.js';

export const listOrderTransitions: Operation<'listOrderTransitions'> = async (
  { principal, params },
  { orders, workflows, clock },
) => {
  const order = await orders.get(principal.tenantId, params.id as string);
  const { version, revision } = workflowRefOf(order);
  const { workflow } = await workflows.version(principal.tenantId, version, revision);
  return {
    statusCode: 200,
    body: {
      stage: order.stage,
      version: order.version,
      items: transitionOptions(order, workflow, principal, clock()),
    },
  };
};
