import { transitionOptions } from '../../../shared/orders/allowed-transitions.js';
import type { Operation } from './index.js';

export const listOrderTransitions: Operation<'listOrderTransitions'> = async (
  { principal, params },
  { orders, workflows, clock },
) => {
  const order = await orders.get(principal.tenantId, params.id as string);
  const { workflow } = await workflows.version(principal.tenantId, order.workflow.version);
  return {
    statusCode: 200,
    body: {
      stage: order.stage,
      version: order.version,
      items: transitionOptions(order, workflow, principal, clock()),
    },
  };
};
