import { MemoryOrderStore } from '../../../../shared/adapters/memory/order-store.js';
import { describeOrderStoreContract } from '../../../support/contracts/order-store.js';

describeOrderStoreContract('MemoryOrderStore', () => {
  const store = new MemoryOrderStore();
  return {
    store,
    park: async (tenantId, orderId, stage, token) => store.parkWait(tenantId, orderId, stage, token),
  };
});
