/**
 * Business metrics as CloudWatch embedded metric format (EMF) lines in the functions' logs:
 * no API call, CloudWatch extracts them. One namespace for the stack; dimensions are kept to
 * small closed sets (a stage change's cause, an attempt's outcome), never tenants or orders.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OrderEvent } from '../shared/orders/schema.js';
import type { AttemptObserved } from '../shared/webhooks/delivery-worker.js';

export const METRICS_NAMESPACE = 'Orderflow';

export const metricNames = {
  ordersCreated: 'OrdersCreated',
  stageChanges: 'StageChanges',
  actionFailures: 'ActionFailures',
  webhookAttempts: 'WebhookAttempts',
  webhookDeliveryLatency: 'WebhookDeliveryLatency',
} as const;

export function newMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}

/**
 * Counts what a history event records: an order created, a stage change by its cause, a
 * failed action. The cause is read only for stage changes (`dataOf` unpacks the event's data).
 */
export function recordOrderEvent(
  metrics: Metrics,
  type: OrderEvent['type'],
  dataOf: () => OrderEvent['data'],
): void {
  if (type === 'order.created') metrics.addMetric(metricNames.ordersCreated, MetricUnit.Count, 1);
  else if (type === 'order.action_failed') metrics.addMetric(metricNames.actionFailures, MetricUnit.Count, 1);
  else if (type === 'order.stage_changed') {
    const single = metrics.singleMetric();
    single.addDimension('cause', String(dataOf().cause ?? 'unknown'));
    single.addMetric(metricNames.stageChanges, MetricUnit.Count, 1);
  }
}

/** Counts a webhook attempt by its outcome; a delivered one also records how long after its event it arrived. */
export function recordWebhookAttempt(metrics: Metrics, attempt: AttemptObserved): void {
  const single = metrics.singleMetric();
  single.addDimension('outcome', attempt.outcome);
  single.addMetric(metricNames.webhookAttempts, MetricUnit.Count, 1);
  if (attempt.outcome === 'delivered') {
    metrics.addMetric(metricNames.webhookDeliveryLatency, MetricUnit.Milliseconds, attempt.sinceEventMs);
  }
}
