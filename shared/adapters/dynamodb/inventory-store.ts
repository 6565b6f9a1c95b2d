import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  InventoryRestock,
  InventoryStore,
  ReleaseResult,
  Reservation,
  ReservationAdjustment,
  ReserveResult,
  SetStockResult,
} from '../../actions/inventory-store.js';
import type { InventoryLevel } from '../../actions/schema.js';
import { ConflictError } from '../../errors.js';
import { keys, recordTypes } from '../../table.js';
import { storeCall } from './client.js';
import type { TransactItem } from './order-store.js';

/** How often setting the stock is re-tried when a reservation or release races it. */
const SET_ATTEMPTS = 5;

/** Why each item of a cancelled transaction failed (in request order), or undefined for other errors. */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
}

const isContention = (error: unknown) =>
  error instanceof Error && error.name === 'TransactionConflictException';

function levelOf(item: Record<string, unknown>): InventoryLevel {
  return {
    sku: item.sku as string,
    onHand: item.onHand as number,
    reserved: item.reserved as number,
    available: item.available as number,
    supplier: (item.supplier as string | undefined) ?? null,
  };
}

/**
 * Stock is one item per SKU holding `onHand`, `reserved` and `available` (= onHand − reserved)
 * as separate attributes, because condition expressions cannot do arithmetic: a reservation
 * is conditioned on `available >= :quantity`, so no interleaving can take it below zero.
 */
export class DynamoInventoryStore implements InventoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, sku: string): Promise<InventoryLevel | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.inventory(tenantId, sku),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? levelOf(Item) : undefined;
  }

  async setOnHand(tenantId: string, sku: string, onHand: number, supplier?: string): Promise<SetStockResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { Attributes } = await storeCall(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.inventory(tenantId, sku),
              // `available` is derived from `reserved` inside the write, so a racing reservation cannot skew it.
              UpdateExpression: `SET entity = :entity, tenantId = :tenantId, sku = :sku, onHand = :onHand, reserved = if_not_exists(reserved, :zero), available = :onHand - if_not_exists(reserved, :zero)${supplier === undefined ? '' : ', supplier = :supplier'}`,
              ConditionExpression: 'attribute_not_exists(pk) OR reserved <= :onHand',
              ExpressionAttributeValues: {
                ':entity': recordTypes.inventory,
                ':tenantId': tenantId,
                ':sku': sku,
                ':onHand': onHand,
                ':zero': 0,
                ...(supplier === undefined ? {} : { ':supplier': supplier }),
              },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return { ok: true, level: levelOf(Attributes ?? {}) };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Refused or raced: only a fresh read tells whether too much is reserved or a retry will do.
        const current = await this.get(tenantId, sku);
        if (current && current.reserved > onHand) return { ok: false, reserved: current.reserved };
        if (attempt >= SET_ATTEMPTS) throw error;
      }
    }
  }

  async getReservation(tenantId: string, orderId: string, sku: string): Promise<Reservation | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.reservation(tenantId, orderId, sku),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? reservationOf(Item) : undefined;
  }

  async reserve(tenantId: string, reservation: Reservation): Promise<ReserveResult> {
    const { orderId, sku, quantity } = reservation;
    const put = {
      TableName: this.tableName,
      Item: {
        ...keys.reservation(tenantId, orderId, sku),
        entity: recordTypes.reservation,
        tenantId,
        ...reservation,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (quantity === 0) {
      // Nothing to take from stock: recording the (empty) reservation needs no transaction.
      try {
        await storeCall(() => this.client.send(new PutCommand(put)));
        return { status: 'reserved' };
      } catch (error) {
        if (error instanceof ConflictError) return { status: 'exists' };
        throw error;
      }
    }
    return storeCall(async () => {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [{ Put: put }, this.stockChange(tenantId, sku, -quantity)],
          }),
        );
        return { status: 'reserved' } as const;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return { status: 'exists' } as const;
        if (codes || isContention(error)) return { status: 'retry' } as const;
        throw error;
      }
    });
  }

  async reservationsOf(tenantId: string, orderId: string): Promise<Reservation[]> {
    const reservations: Reservation[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': keys.order(tenantId, orderId).pk,
              ':prefix': keys.reservationPrefix,
            },
            ConsistentRead: true,
            ExclusiveStartKey: after,
          }),
        ),
      );
      reservations.push(...(page.Items ?? []).map(reservationOf));
      after = page.LastEvaluatedKey;
    } while (after);
    return reservations;
  }

  async release(tenantId: string, reservation: Reservation): Promise<ReleaseResult> {
    const { orderId, sku, quantity } = reservation;
    return storeCall(async () => {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.reservation(tenantId, orderId, sku),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              ...(quantity > 0 ? [this.stockChange(tenantId, sku, quantity)] : []),
            ],
          }),
        );
        return { status: 'released' } as const;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return { status: 'absent' } as const;
        if (codes || isContention(error)) return { status: 'retry' } as const;
        throw error;
      }
    });
  }

  private stockChange(tenantId: string, sku: string, delta: number) {
    return stockChangeWrite(this.tableName, tenantId, sku, delta);
  }
}

/** Moves `delta` units between available and reserved; taking is refused unless they are available. */
export function stockChangeWrite(tableName: string, tenantId: string, sku: string, delta: number) {
  const taking = delta < 0;
  return {
    Update: {
      TableName: tableName,
      Key: keys.inventory(tenantId, sku),
      UpdateExpression: 'SET reserved = reserved - :delta, available = available + :delta',
      ConditionExpression: taking ? 'available >= :quantity' : 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':delta': delta, ...(taking ? { ':quantity': -delta } : {}) },
    },
  };
}

/** The write of a restock (see InventoryRestock), for the order's transaction. */
export function restockWrite(tableName: string, tenantId: string, restock: InventoryRestock): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.inventory(tenantId, restock.sku),
      UpdateExpression:
        'SET entity = :entity, tenantId = :tenantId, sku = :sku, onHand = if_not_exists(onHand, :zero) + :quantity, reserved = if_not_exists(reserved, :zero), available = if_not_exists(available, :zero) + :quantity',
      ExpressionAttributeValues: {
        ':entity': recordTypes.inventory,
        ':tenantId': tenantId,
        ':sku': restock.sku,
        ':zero': 0,
        ':quantity': restock.quantity,
      },
    },
  };
}

/** The writes of a reservation adjustment (see ReservationAdjustment), for the order's transaction. */
export function reservationAdjustmentWrites(
  tableName: string,
  tenantId: string,
  adjustment: ReservationAdjustment,
): TransactItem[] {
  const { orderId, sku, from, to, reservedAt } = adjustment;
  const key = keys.reservation(tenantId, orderId, sku);
  const delta = (to ?? 0) - (from ?? 0);
  const stock = delta === 0 ? [] : [stockChangeWrite(tableName, tenantId, sku, -delta)];
  if (from === undefined) {
    const item = {
      ...key,
      entity: recordTypes.reservation,
      tenantId,
      orderId,
      sku,
      quantity: to ?? 0,
      reservedAt,
    };
    return [
      { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...stock,
    ];
  }
  const held = { ':from': from };
  if (to === undefined) {
    return [
      {
        Delete: {
          TableName: tableName,
          Key: key,
          ConditionExpression: 'quantity = :from',
          ExpressionAttributeValues: held,
        },
      },
      ...stock,
    ];
  }
  return [
    {
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET quantity = :to',
        ConditionExpression: 'quantity = :from',
        ExpressionAttributeValues: { ...held, ':to': to },
      },
    },
    ...stock,
  ];
}

function reservationOf(item: Record<string, unknown>): Reservation {
  return {
    orderId: item.orderId as string,
    sku: item.sku as string,
    quantity: item.quantity as number,
    reservedAt: item.reservedAt as string,
  };
}
