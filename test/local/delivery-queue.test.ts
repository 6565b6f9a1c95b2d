import { describe, expect, it } from 'vitest';
import { LocalDeliveryQueue } from '../../local/delivery-queue.js';
import { TABLE_NAME } from '../../local/stack.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import type { DeliveryMessage } from '../../shared/webhooks/delivery-queue.js';
import { eventually } from '../support/eventually.js';
import { useStack } from '../support/stack.js';

const api = useStack();

const message = (tenantId: string, webhookId: string, orderId: string): DeliveryMessage =>
  ({ tenantId, webhookId, orderId, deliveryId: `dlv_${webhookId}_${orderId}` }) as DeliveryMessage;

describe('the local delivery queue', () => {
  it("hands another tenant's delivery on at once while one tenant's slow endpoints hold every slot they may", async () => {
    const queue = new LocalDeliveryQueue(
      createDocumentClient({ tableName: TABLE_NAME, endpoint: api.stack.dynamo.endpoint }),
      TABLE_NAME,
    );
    const started: DeliveryMessage[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    await queue.start(async (delivery) => {
      started.push(delivery);
      if (delivery.tenantId === 'slow-tenant') await slow;
    });
    try {
      // 17 endpoints that never answer, four deliveries each: more than every slot there is.
      for (let endpoint = 0; endpoint < 17; endpoint++) {
        for (let order = 0; order < 4; order++) {
          await queue.send(message('slow-tenant', `wh_slow${endpoint}`, `ord_${order}`));
        }
      }
      await queue.send(message('fast-tenant', 'wh_fast', 'ord_1'));

      await eventually('the other tenant’s delivery to start', async () =>
        started.some((delivery) => delivery.tenantId === 'fast-tenant'),
      );
      const slowInFlight = started.filter((delivery) => delivery.tenantId === 'slow-tenant').length;
      expect(slowInFlight).toBeGreaterThan(0);
      expect(slowInFlight).toBeLessThan(64);
    } finally {
      releaseSlow();
      await queue.stop();
    }
  });
});
