import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const api = useStack();

describe('when DynamoDB is unreachable', () => {
  it('answers 503 problem+json instead of hanging or failing with a 500', async () => {
    const { apiKey } = await api.newTenant();
    const healthy = await api.call('/health', { key: null });
    expect(healthy.status).toBe(200);
    expect(healthy.body.dependencies).toEqual({ database: 'up' });
    await api.stack.dynamo.stop();
    // The last answer is reused for a second at most.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const health = await api.call('/health', { key: null });
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toBe('application/problem+json');
    expect(health.body.dependencies).toEqual({ database: 'down' });
    for (const [path, key] of [
      ['/v1/orders', api.key],
      ['/v1/orders', apiKey],
      ['/v1/orders/ord_00000000000000000000000000', apiKey],
    ] as const) {
      const response = await api.call(path, { key });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.detail).toMatch(/retry/);
    }
    const create = await api.call('/v1/orders', { method: 'POST', body: { currency: 'GBP' }, key: apiKey });
    expect(create.status).toBe(503);
  });
});
