/** The order the studio simulates and the board's "New order" starts from: it meets the print shop's guards. */
export const SAMPLE_ORDER = {
  currency: 'GBP',
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  items: [{ sku: 'CARD-100', name: 'Business cards', quantity: 500, unitPrice: 12 }],
  attachments: [{ name: 'proof.pdf', kind: 'proof', url: 'https://files.example.com/proof.pdf' }],
  shipping: { method: 'carrier', carrier: 'UPS' },
};
