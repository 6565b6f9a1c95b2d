import { ConflictError } from '../errors.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';
import type { Order } from '../orders/schema.js';
import { problems } from '../problem.js';
import type { InventoryStore, Reservation } from './inventory-store.js';
import type { InventoryLevel, SetInventoryRequest } from './schema.js';

/**
 * Contended writes to one SKU are retried on a fresh read; the jittered pause spreads the
 * contenders out. Enough attempts that dozens of simultaneous orders all get through.
 */
const CONTENDED_ATTEMPTS = 40;
const MAX_PAUSE_MS = 40;
const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_PAUSE_MS));

/** Stock levels as the API sets and reads them. */
export class InventoryService {
  constructor(private readonly store: InventoryStore) {}

  async get(tenantId: string, sku: string): Promise<InventoryLevel> {
    const level = await this.store.get(tenantId, sku);
    if (!level) throw problems.notFound(`Inventory for SKU ${sku}`);
    return level;
  }

  async set(tenantId: string, sku: string, request: SetInventoryRequest): Promise<InventoryLevel> {
    const result = await this.store.setOnHand(tenantId, sku, request.onHand, request.supplier);
    if (!result.ok) {
      throw problems.conflict(
        `${result.reserved} units of ${sku} are reserved by orders; onHand cannot go below that.`,
        { reserved: result.reserved },
      );
    }
    return result.level;
  }
}

/**
 * Reserves one SKU for the order, once: the first run takes min(wanted, available) and records
 * it; any later run finds the record (the reservation's write is conditional on there being
 * none) and takes nothing more.
 */
async function reserveOnce(
  store: InventoryStore,
  tenantId: string,
  orderId: string,
  sku: string,
  wanted: number,
  now: Date,
): Promise<{ reservation: Reservation; made: boolean }> {
  for (let attempt = 1; attempt <= CONTENDED_ATTEMPTS; attempt++) {
    // A SKU without an inventory record has nothing available: the item is fully backordered.
    const available = (await store.get(tenantId, sku))?.available ?? 0;
    const reservation = {
      orderId,
      sku,
      quantity: Math.min(wanted, available),
      reservedAt: now.toISOString(),
    };
    const result = await store.reserve(tenantId, reservation);
    if (result.status === 'reserved') return { reservation, made: true };
    if (result.status === 'exists') {
      // An earlier or concurrent run of the same action got there first; its reservation is the one.
      const winner = await store.getReservation(tenantId, orderId, sku);
      if (winner) return { reservation: winner, made: false };
    } else {
      await pause();
    }
  }
  throw new ConflictError(`Reserving ${sku} kept colliding with other reservations.`);
}

export async function reserveInventory(
  store: InventoryStore,
  { tenantId, order, now }: ActionContext,
): Promise<ActionOutcome> {
  const reserved = new Map<string, number>();
  const made: Reservation[] = [];
  // One SKU at a time: each reservation is its own small transaction, idempotent on its own.
  for (const item of order.items) {
    const outcome = await reserveOnce(store, tenantId, order.id, item.sku, item.quantity, now);
    reserved.set(item.sku, outcome.reservation.quantity);
    if (outcome.made) made.push(outcome.reservation);
  }
  const backorderedOf = (item: Order['items'][number]) =>
    Math.max(0, item.quantity - (reserved.get(item.sku) ?? 0));
  return {
    // Items added after the reservation (none is made for them here) keep their count.
    apply: (fresh) => ({
      ...fresh,
      items: fresh.items.map((item) =>
        reserved.has(item.sku) ? { ...item, backordered: backorderedOf(item) } : item,
      ),
    }),
    // Only what this run reserved: a reservation an earlier run made stays with its record.
    undo: async () => {
      for (const reservation of made) await releaseOne(store, tenantId, reservation);
    },
    result: {
      reservations: order.items.map((item) => ({
        sku: item.sku,
        reserved: reserved.get(item.sku) ?? 0,
        backordered: backorderedOf(item),
      })),
    },
  };
}

export async function releaseInventory(
  store: InventoryStore,
  { tenantId, order }: ActionContext,
): Promise<ActionOutcome> {
  const released: { sku: string; quantity: number }[] = [];
  for (const reservation of await store.reservationsOf(tenantId, order.id)) {
    if (await releaseOne(store, tenantId, reservation)) {
      released.push({ sku: reservation.sku, quantity: reservation.quantity });
    }
  }
  return { result: { released } };
}

/** Releases one reservation; false when it was released already. */
async function releaseOne(
  store: InventoryStore,
  tenantId: string,
  reservation: Reservation,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const result = await store.release(tenantId, reservation);
    if (result.status !== 'retry') return result.status === 'released';
    if (attempt >= CONTENDED_ATTEMPTS) {
      throw new ConflictError(`Releasing ${reservation.sku} kept colliding with other writes.`);
    }
    await pause();
  }
}
