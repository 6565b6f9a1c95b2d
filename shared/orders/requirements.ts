import type { ProblemDetail } from '../problem.js';
import { isLineReady } from '../workflow/conditions.js';
import type { Order, ShipmentRequest } from './schema.js';

/** The requirement names a transition's `requires` may list (workflow-format.md). */
export type RequirementName =
  | 'items'
  | 'customer'
  | 'shippingAddress'
  | 'pricing'
  | 'shipment'
  | 'attachments'
  | 'itemsReady';

const checks: Record<
  RequirementName,
  (order: Order, shipment: ShipmentRequest | undefined, availableFiles: number) => string | undefined
> = {
  items: (order) => (order.items.length > 0 ? undefined : 'The order has no items.'),
  customer: (order) =>
    order.customer?.name && order.customer.email ? undefined : 'The customer needs a name and an email.',
  shippingAddress: (order) =>
    order.shipping?.method === 'pickup' || order.shipping?.address
      ? undefined
      : 'A shipping address is needed unless the order is picked up.',
  pricing: (order) => {
    const unpriced = [
      ...order.items.filter((item) => item.unitPrice === undefined).map((item) => item.sku),
      ...order.services.filter((service) => service.price === undefined).map((service) => service.code),
    ];
    return unpriced.length ? `Without a price: ${unpriced.join(', ')}.` : undefined;
  },
  shipment: (order, shipment) => {
    const pickup = order.shipping?.method === 'pickup';
    if (!shipment) return 'The request needs shipment details.';
    if (!pickup && !shipment.carrier)
      return 'The shipment needs a carrier (or the order a pickup shipping method).';
    if (!pickup && !shipment.trackingNumber) return 'The shipment needs a tracking number.';
    return undefined;
  },
  attachments: (order, _shipment, availableFiles) =>
    order.attachments.length + availableFiles > 0
      ? undefined
      : 'The order has no attachments (a URL, or an uploaded file that is available).',
  itemsReady: (order) => {
    const pending = [
      ...order.items.filter((item) => !isLineReady(item)).map((item) => item.sku),
      ...order.services.filter((service) => !isLineReady(service)).map((service) => service.code),
    ];
    return pending.length ? `Not ready or done yet: ${pending.join(', ')}.` : undefined;
  },
};

/**
 * Every requirement the order (with the request's shipment) does not meet, one problem each.
 * `availableFiles` counts the order's uploaded files that are in storage as declared.
 */
export function unmetRequirements(
  order: Order,
  names: readonly RequirementName[],
  shipment: ShipmentRequest | undefined,
  availableFiles = 0,
): ProblemDetail[] {
  return names.flatMap((name) => {
    const message = checks[name](order, shipment, availableFiles);
    return message ? [{ path: `/requires/${name}`, message }] : [];
  });
}
