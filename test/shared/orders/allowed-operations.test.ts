import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/auth/api-keys.js';
import type { ScopeGrant } from '../../../shared/auth/scopes.js';
import { type OperationScopes, operationOptions } from '../../../shared/orders/allowed-operations.js';
import { transitionOptions } from '../../../shared/orders/allowed-transitions.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest, type Order } from '../../../shared/orders/schema.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';

const now = new Date('2026-12-02T10:00:00.000Z');
const scopes: OperationScopes = {
  transitionOrder: 'orders:write',
  placeOrderHold: 'orders:write',
  releaseOrderHold: 'orders:write',
  createOrderShipment: 'orders:write',
  requestOrderReturn: 'orders:write',
  receiveOrderReturn: 'orders:write',
  refundOrderReturn: 'orders:approve',
  rejectOrderReturn: 'orders:write',
};
const keyWith = (...grants: ScopeGrant[]): Principal => ({
  tenantId: 't',
  keyId: 'k',
  role: 'staff',
  scopes: grants,
});
const owner = keyWith('*');

function orderIn(stage: string, changes: Partial<Order> = {}): Order {
  const order = newOrder({
    request: CreateOrderRequest.parse({
      currency: 'EUR',
      customer: { name: 'Ada', email: 'ada@example.com' },
      items: [
        { sku: 'A', quantity: 2, unitPrice: 150 },
        { sku: 'B', quantity: 1, unitPrice: 300 },
      ],
    }),
    stage,
    workflowVersion: 0,
    workflowRevision: 2,
    now,
  });
  return { ...order, ...changes };
}

const shipped = {
  shipments: [{ id: 'shp_1', items: [{ sku: 'A', quantity: 2 }], shippedAt: now.toISOString() }],
};

describe('the order operations a key is offered', () => {
  it('lets a key with every scope hold, ship and return what the order state allows', () => {
    const options = operationOptions(orderIn('completed', shipped), defaultWorkflow, owner, now, scopes);
    expect(options.placeHold).toEqual({ allowed: true });
    expect(options.createShipment).toEqual({ allowed: true });
    expect(options.requestReturn).toEqual({ allowed: true });
  });

  it('refuses, with the problem the call would answer, what the order state forbids', () => {
    const options = operationOptions(orderIn('shipped'), defaultWorkflow, owner, now, scopes);
    expect(options.placeHold.problem).toMatchObject({
      status: 409,
      detail: expect.stringContaining('final stage'),
    });
    expect(options.releaseHold.problem).toMatchObject({ status: 404 });
    expect(options.createShipment.problem).toMatchObject({ status: 409, shippingStages: ['completed'] });
    expect(options.requestReturn.problem).toMatchObject({
      status: 422,
      errors: [{ path: '/items/0/quantity', message: 'Only 0 of A shipped and not yet returned.' }],
    });
  });

  it('offers a return only of units shipped and not yet on another return', () => {
    const order = orderIn('completed', {
      ...shipped,
      returns: [
        {
          id: 'ret_1',
          status: 'received',
          items: [{ sku: 'A', quantity: 2 }],
          value: 300,
          createdAt: now.toISOString(),
        },
      ],
    });
    const options = operationOptions(order, defaultWorkflow, owner, now, scopes);
    expect(options.requestReturn.allowed).toBe(false);
    expect(options.returns).toEqual([
      {
        id: 'ret_1',
        receive: {
          allowed: false,
          problem: expect.objectContaining({ status: 409, returnStatus: 'received', allowed: ['refunded'] }),
        },
        refund: { allowed: true },
        reject: { allowed: false, problem: expect.objectContaining({ status: 409 }) },
      },
    ]);
  });

  it('refuses every call a key lacks the scope for, naming that scope, before the order state', () => {
    const order = orderIn('completed', {
      ...shipped,
      returns: [
        { id: 'ret_1', status: 'received', items: [{ sku: 'A', quantity: 1 }], value: 150, createdAt: '' },
      ],
    });
    const reader = operationOptions(order, defaultWorkflow, keyWith('orders:read'), now, scopes);
    for (const option of [
      reader.placeHold,
      reader.createShipment,
      reader.requestReturn,
      reader.returns[0]?.refund,
    ])
      expect(option).toEqual({
        allowed: false,
        problem: expect.objectContaining({ status: 403, requiredScope: expect.any(String) }),
      });
    const staff = operationOptions(
      order,
      defaultWorkflow,
      keyWith('orders:read', 'orders:write'),
      now,
      scopes,
    );
    expect(staff.returns[0]?.refund.problem).toMatchObject({ status: 403, requiredScope: 'orders:approve' });
    expect(staff.placeHold.allowed).toBe(true);
  });

  it('refuses transitions to a key without the transition scope', () => {
    const options = transitionOptions(
      orderIn('confirmed'),
      defaultWorkflow,
      keyWith('orders:read'),
      now,
      'orders:write',
    );
    expect(options.map((option) => [option.to, option.allowed, option.problem?.requiredScope])).toEqual([
      ['completed', false, 'orders:write'],
      ['cancelled', false, 'orders:write'],
    ]);
  });
});
