/**
 * The stock rows every change writes: the location orders are fulfilled from, the stock_movements
 * ledger row of each change, and units put back on the shelf.
 */
import type pg from 'pg';
import { SHOP_LOCATIONS } from '../common/shop-seed.ts';

/** Orders are fulfilled from the central warehouse (the only location until the shop has stores). */
export const LOCATION = SHOP_LOCATIONS[0]!.location_id;

/** One row of the movement ledger (nothing for a zero quantity). */
export async function movement(
  db: pg.Client,
  sku: number,
  kind: string,
  quantity: number,
  at: number,
  ref: { order?: string; restock?: string },
): Promise<void> {
  if (quantity === 0) return;
  await db.query(
    `insert into stock_movements (sku, location_id, kind, quantity, event_time, order_id, restock_id)
     values ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7)`,
    [sku, LOCATION, kind, quantity, at, ref.order ?? null, ref.restock ?? null],
  );
}

/** `units` more on hand of a SKU at a location (a return, a received restock). */
export async function addOnHand(db: pg.Client, sku: number, location: string, units: number): Promise<void> {
  await db.query(`update stock set on_hand = on_hand + $3 where sku = $1 and location_id = $2`, [
    sku,
    location,
    units,
  ]);
}
