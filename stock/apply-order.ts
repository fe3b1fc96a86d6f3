/**
 * One lifecycle record (paid, finished or failed) applied to the shop's stock: reserve or backorder
 * at payment, then consume, release or return at the end, in whichever order the two arrive.
 */
import type pg from 'pg';
import type { Order } from '../schemas/types.generated.ts';
import { addOnHand, LOCATION, movement } from './ledger.ts';
import { orderLines, split, stockEvent, type LifecycleTopic } from './movement.ts';
import { recordDemand, reorder } from './restocks.ts';

/** Units of a SKU on the shelf and not reserved, its stock row locked for this transaction. */
async function lockAvailable(db: pg.Client, sku: number): Promise<number> {
  const s = await db.query<{ available: number }>(
    `select on_hand - reserved as available from stock where sku = $1 and location_id = $2 for update`,
    [sku, LOCATION],
  );
  return s.rows[0]?.available ?? 0;
}

/** Apply one lifecycle record. Order-insensitive: an end seen before its payment is handled too. */
export async function applyOrder(
  db: pg.Client,
  kind: LifecycleTopic,
  order: Order,
  at: number,
): Promise<void> {
  const event = stockEvent(kind, order);
  const id = order.order_id;
  const { rows } = await db.query<{ paid: boolean; ended: string | null }>(
    `insert into stock_orders (order_id) values ($1) on conflict (order_id) do update set order_id = excluded.order_id
     returning paid, ended`,
    [id],
  );
  const state = rows[0]!;
  const lines = orderLines(order);
  const touched = [...lines.keys()];
  if (event.kind === 'paid') {
    if (state.paid) return;
    await db.query('update stock_orders set paid = true where order_id = $1', [id]);
    if (state.ended !== null) return; // its end came first and settled the stock already
    for (const [sku, qty] of lines) {
      const { take, backorder } = split(qty, await lockAvailable(db, sku));
      await db.query(
        `update stock set reserved = reserved + $3, backordered = backordered + $4 where sku = $1 and location_id = $2`,
        [sku, LOCATION, take, backorder],
      );
      await db.query(
        `insert into stock_reservations (order_id, sku, location_id, reserved, backordered) values ($1, $2, $3, $4, $5)`,
        [id, sku, LOCATION, take, backorder],
      );
      await recordDemand(db, sku, qty, at);
      await movement(db, sku, 'reserve', take, at, { order: id });
      await movement(db, sku, 'backorder', backorder, at, { order: id });
    }
    await reorder(db, touched, at);
    return;
  }
  if (state.ended !== null) return;
  await db.query('update stock_orders set ended = $2 where order_id = $1', [id, event.end]);
  if (event.end === 'none') return;
  if (state.paid) {
    const held = await db.query<{ sku: number; reserved: number }>(
      `select sku, reserved from stock_reservations where order_id = $1`,
      [id],
    );
    for (const r of held.rows) {
      const consumed = event.end === 'released' ? 0 : r.reserved;
      await db.query(
        `update stock set reserved = reserved - $3, on_hand = on_hand - $4 where sku = $1 and location_id = $2`,
        [r.sku, LOCATION, r.reserved, consumed],
      );
      if (event.end === 'released') await movement(db, r.sku, 'release', r.reserved, at, { order: id });
      else await movement(db, r.sku, 'consume', r.reserved, at, { order: id });
      if (event.end === 'returned') {
        await addOnHand(db, r.sku, LOCATION, r.reserved);
        await movement(db, r.sku, 'return', r.reserved, at, { order: id });
      }
    }
  } else if (event.end !== 'released') {
    // Delivered (or returned) before its payment record was read: take the goods off the shelf now.
    for (const [sku, qty] of lines) {
      const { take, backorder } = split(qty, await lockAvailable(db, sku));
      await db.query(
        `update stock set on_hand = on_hand - $3, backordered = backordered + $4 where sku = $1 and location_id = $2`,
        [sku, LOCATION, take, backorder],
      );
      await db.query(
        `insert into stock_reservations (order_id, sku, location_id, reserved, backordered) values ($1, $2, $3, 0, $4)`,
        [id, sku, LOCATION, backorder],
      );
      await recordDemand(db, sku, qty, at);
      await movement(db, sku, 'consume', take, at, { order: id });
      await movement(db, sku, 'backorder', backorder, at, { order: id });
      if (event.end === 'returned') {
        await addOnHand(db, sku, LOCATION, take);
        await movement(db, sku, 'return', take, at, { order: id });
      }
    }
  }
  await reorder(db, touched, at);
}
