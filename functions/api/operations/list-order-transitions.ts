import type { Scope } from '../../../shared/auth/scopes.js';
import { type OperationId, routes } from '../../../shared/http/routes.js';
import { type OperationScopes, operationOptions } from '../../../shared/orders/allowed-operations.js';
import { transitionOptions } from '../../../shared/orders/allowed-transitions.js';
import { workflowRefOf } from '../../../shared/orders/workflow-source.js';
import type { Operation } from './index.js';

function scopeOf(operationId: OperationId): Scope {
  const route = routes.find((candidate) => candidate.operationId === operationId);
  if (route?.auth !== 'tenant') throw new Error(`${operationId} is not a tenant route`);
  return route.scope;
}

/** The scopes of the calls the answer judges, as the route table names them. */
const judgedScopes: OperationScopes = {
  transitionOrder: scopeOf('transitionOrder'),
  placeOrderHold: scopeOf('placeOrderHold'),
  releaseOrderHold: scopeOf('releaseOrderHold'),
  createOrderShipment: scopeOf('createOrderShipment'),
  requestOrderReturn: scopeOf('requestOrderReturn'),
  receiveOrderReturn: scopeOf('receiveOrderReturn'),
  refundOrderReturn: scopeOf('refundOrderReturn'),
  rejectOrderReturn: scopeOf('rejectOrderReturn'),
};

export const listOrderTransitions: Operation<'listOrderTransitions'> = async (
  { principal, params },
  { orders, workflows, clock },
) => {
  const order = await orders.get(principal.tenantId, params.id);
  const { version, revision } = workflowRefOf(order);
  const { workflow } = await workflows.version(principal.tenantId, version, revision);
  const now = clock();
  return {
    statusCode: 200,
    body: {
      stage: order.stage,
      version: order.version,
      items: transitionOptions(order, workflow, principal, now, judgedScopes.transitionOrder),
      operations: operationOptions(order, workflow, principal, now, judgedScopes),
    },
  };
};
