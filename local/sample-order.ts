/** A realistic order: two items (one with a supplier), a priced service and a carrier shipment. */
export const sampleOrder = {
  currency: 'GBP',
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  items: [
    { sku: 'CARD-100', name: 'Business cards', quantity: 500, unitPrice: 12, supplier: 'paperco' },
    { sku: 'FLYER-A5', name: 'Flyers', quantity: 100, unitPrice: 30 },
  ],
  services: [{ code: 'design', description: 'Layout', price: 4000 }],
  shipping: {
    method: 'carrier',
    carrier: 'UPS',
    address: { line1: '1 Analytical Row', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
  },
};
