/** Why an order is held (api.md, Holds): its own module so the console takes it without zod. */
export const HOLD_REASONS = ['payment', 'fraud_review', 'customer_request', 'stock', 'other'] as const;
