import type { InventoryLevel } from './schema.js';

/** Stock one order holds of one SKU; its record makes reserving idempotent per (order, SKU). */
export interface Reservation {
  orderId: string;
  sku: string;
  /** May be 0: the order asked while nothing was available, and stays fully backordered. */
  quantity: number;
  reservedAt: string;
}

/**
 * Resizes one reservation of an order in the order's transaction: the record is created (no
 * `from`), resized, or deleted (no `to`) only if it still holds `from`, and the difference
 * moves between the SKU's available and reserved stock, taking only what is available.
 */
export interface ReservationAdjustment {
  type: 'reservation.adjust';
  orderId: string;
  sku: string;
  from?: number;
  to?: number;
  reservedAt: string;
}

/**
 * Adds units back to a SKU's stock on hand and available in the order's transaction (a
 * received return that restocks); a SKU without a record gets one.
 */
export interface InventoryRestock {
  type: 'inventory.restock';
  sku: string;
  quantity: number;
}

export type SetStockResult = { ok: true; level: InventoryLevel } | { ok: false; reserved: number };

export type ReserveResult =
  /** Written: stock decremented and the reservation recorded, together. */
  | { status: 'reserved' }
  /** The order already holds a reservation of this SKU; nothing changed. */
  | { status: 'exists' }
  /** Fewer than `quantity` units are available now, or another write got in first: read again. */
  | { status: 'retry' };

export type ReleaseResult =
  | { status: 'released' }
  /** Already released (a re-run, or a concurrent release); nothing changed. */
  | { status: 'absent' }
  /** Another write to the SKU got in first: try again. */
  | { status: 'retry' };

export interface InventoryStore {
  get(tenantId: string, sku: string): Promise<InventoryLevel | undefined>;
  /**
   * Sets the stock on hand (and the supplier, when given) atomically against concurrent
   * reservations; refuses an amount below what is reserved, answering the reserved amount.
   */
  setOnHand(tenantId: string, sku: string, onHand: number, supplier?: string): Promise<SetStockResult>;
  getReservation(tenantId: string, orderId: string, sku: string): Promise<Reservation | undefined>;
  /** Takes `reservation.quantity` from the available stock and records the reservation, atomically. */
  reserve(tenantId: string, reservation: Reservation): Promise<ReserveResult>;
  reservationsOf(tenantId: string, orderId: string): Promise<Reservation[]>;
  /** Gives the stock back and deletes the record, atomically. */
  release(tenantId: string, reservation: Reservation): Promise<ReleaseResult>;
}
