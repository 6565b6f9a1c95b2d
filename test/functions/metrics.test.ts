import { describe, expect, it } from 'vitest';
import { newMetrics, recordWebhookAttempt } from '../../functions/metrics.js';
import { emittedMetrics } from '../support/emf.js';

describe('webhook metrics', () => {
  it('count every attempt by its outcome and time only delivered ones from their event', async () => {
    const metrics = newMetrics('orderflow-webhook-delivery');
    const values = await emittedMetrics(async () => {
      recordWebhookAttempt(metrics, { outcome: 'retry', durationMs: 10_000, sinceEventMs: 10_050 });
      recordWebhookAttempt(metrics, { outcome: 'delivered', durationMs: 80, sinceEventMs: 64_120 });
      metrics.publishStoredMetrics();
    });
    expect(values).toEqual([
      {
        namespace: 'Orderflow',
        name: 'WebhookAttempts',
        value: 1,
        unit: 'Count',
        dimensions: { outcome: 'retry' },
      },
      {
        namespace: 'Orderflow',
        name: 'WebhookAttempts',
        value: 1,
        unit: 'Count',
        dimensions: { outcome: 'delivered' },
      },
      {
        namespace: 'Orderflow',
        name: 'WebhookDeliveryLatency',
        value: 64_120,
        unit: 'Milliseconds',
        dimensions: {},
      },
    ]);
  });
});
