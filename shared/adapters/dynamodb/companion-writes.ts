import type { CompanionWrite } from '../../orders/order-store.js';
import { changeRecordPut } from './change-store.js';
import { reservationAdjustmentWrites, restockWrite } from './inventory-store.js';
import type { TransactItem } from './order-store.js';
import { purchaseOrderPut } from './purchase-order-store.js';

/** A companion write as the transaction items that carry it beside the order's. */
export function companionItems(tableName: string, tenantId: string, write: CompanionWrite): TransactItem[] {
  switch (write.type) {
    case 'reservation.adjust':
      return reservationAdjustmentWrites(tableName, tenantId, write);
    case 'inventory.restock':
      return [restockWrite(tableName, tenantId, write)];
    case 'purchaseOrder.raise':
      return [purchaseOrderPut(tableName, tenantId, write.purchaseOrder)];
    case 'change.put':
      return [changeRecordPut(tableName, tenantId, write)];
  }
}
