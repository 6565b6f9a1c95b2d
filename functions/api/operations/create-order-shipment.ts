import type { Operation } from './index.js';

export const createOrderShipment: Operation<'createOrderShipment'> = async (
  { principal, params, body },
  { orders },
) => {
  const orderId = params.id as string;
  const shipment = await orders.ship(principal, orderId, body);
  return {
    statusCode: 201,
    body: shipment,
  };
};
