/**
 * The stock service killed with SIGKILL mid-stream and restarted: its stock equals a recomputation
 * from the lifecycle records it consumed, and no order moved stock twice (the offsets are stored in
 * the same transaction as the stock change, so the redelivered records change nothing).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { shopStock } from '../../../common/shop-seed.ts';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import { PriceBook } from '../../../reference/price-schedule.ts';
import { orderLines } from '../../../stock/movement.ts';
import { finalOrders } from '../landing/landing-fixture.ts';
import { lifecycleOf, recordCount, stockFixture } from './stock-fixture.ts';

const stock = stockFixture('stock');
const { paid, finished, failed } = lifecycleOf(finalOrders(1500, 11));
// The last fifth of the orders paid get no end record: their stock stays reserved.
const held = new Set(paid.slice(Math.floor(paid.length * 0.8)).map((o) => o.order_id));
const ends = {
  finished: finished.filter((o) => !held.has(o.order_id)),
  failed: failed.filter((o) => !held.has(o.order_id)),
};
const total = recordCount({ paid, ...ends });

describe('the stock service', () => {
  it('killed with SIGKILL mid-stream and restarted, keeps stock equal to a recomputation', async () => {
    await stock.send({ paid, ...ends });
    const first = stock.spawn(50);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ((await stock.progress()) > total * 0.15) break;
      await sleep(100);
    }
    first.child.kill('SIGKILL');
    await first.exit;
    const atKill = await stock.progress();
    console.log(`killed at ${atKill} of ${total} records`);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    const second = stock.spawn(50);
    const started = Date.now();
    while ((await stock.progress()) < total) {
      if (Date.now() - started > 180_000)
        throw new Error(`stock service stuck at ${await stock.progress()} of ${total}`);
      await sleep(250);
    }
    console.log(`restarted, caught up in ${Date.now() - started} ms`);
    second.child.kill('SIGTERM');
    await Promise.race([second.exit, sleep(30_000)]); // the fixture kills it after the file if need be

    // Recompute from the records: delivered units leave the shelf, returned ones come back,
    // cancelled ones were only reserved, held orders are still reserved. Units backordered (the
    // shelf was empty at the payment's event time: restocks arrive after their lead time) never
    // left the shelf: the service's own split of each line (stock_reservations) says how many.
    const backorderedOf = await stock.shop(async (db) => {
      const { rows } = await db.query<{ order_id: string; sku: number; backordered: number }>(
        'select order_id, sku, backordered from stock_reservations where backordered > 0',
      );
      return new Map(rows.map((r) => [`${r.order_id}/${r.sku}`, r.backordered]));
    });
    const taken = (o: (typeof paid)[number], sku: number, q: number) =>
      q - (backorderedOf.get(`${o.order_id}/${sku}`) ?? 0);
    const onHand = new Map(shopStock(1).map((s) => [s.sku, s.on_hand]));
    const reserved = new Map<number, number>();
    for (const o of ends.finished)
      for (const [sku, q] of orderLines(o)) onHand.set(sku, onHand.get(sku)! - taken(o, sku, q));
    for (const o of paid.filter((x) => held.has(x.order_id)))
      for (const [sku, q] of orderLines(o)) reserved.set(sku, (reserved.get(sku) ?? 0) + taken(o, sku, q));

    await stock.shop(async (db) => {
      const { rows } = await db.query<{
        sku: number;
        on_hand: number;
        reserved: number;
        backordered: number;
      }>(`select sku, on_hand, reserved, backordered from stock where location_id = 'central' order by sku`);
      // Backorders are counted once: per product, per order line and as movements alike.
      const split = await db.query<{ lines: string; moved: string }>(
        `select (select coalesce(sum(backordered), 0) from stock_reservations) as lines,
                (select coalesce(sum(quantity), 0) from stock_movements where kind = 'backorder') as moved`,
      );
      const backordered = rows.reduce((n, r) => n + r.backordered, 0);
      console.log(`${backordered} unit(s) backordered`);
      expect(Number(split.rows[0]!.lines)).toBe(backordered);
      expect(Number(split.rows[0]!.moved)).toBe(backordered);
      // Restocks raised below the reorder point and received by event time add their units once.
      const restocked = await db.query<{ sku: number; quantity: number; status: string; moved: string }>(
        `select r.sku, r.quantity, r.status,
                (select count(*) from stock_movements m where m.restock_id = r.restock_id) as moved
           from restocks r`,
      );
      console.log(
        `${restocked.rows.length} restock(s) raised, ${restocked.rows.filter((r) => r.status === 'received').length} received`,
      );
      for (const r of restocked.rows) {
        expect(Number(r.moved)).toBe(r.status === 'received' ? 1 : 0);
        if (r.status === 'received') onHand.set(r.sku, onHand.get(r.sku)! + r.quantity);
      }
      expect(rows.map((r) => [r.sku, r.on_hand, r.reserved])).toEqual(
        rows.map((r) => [r.sku, onHand.get(r.sku), reserved.get(r.sku) ?? 0]),
      );
      // The price and cost in force at the service's event-time clock are on every product.
      const clock = await db.query<{ t: Date }>('select event_time as t from stock_clock');
      const book = new PriceBook(1);
      const priced = await db.query<{ sku: number; price: string; cost: string }>(
        'select sku, price::text, cost::text from products order by sku',
      );
      const inForce = CATALOGUE.map((p) => book.entryAt(p, clock.rows[0]!.t.getTime()));
      expect(priced.rows).toEqual(inForce.map((p) => ({ sku: p.sku, price: p.price, cost: p.cost })));
      console.log(
        `clock ${clock.rows[0]!.t.toISOString()}: ${inForce.filter((p, i) => p.price !== CATALOGUE[i]!.price).length} of ${CATALOGUE.length} products off their catalogue price`,
      );
      const twice = await db.query(
        // Per order (a restock's movement is checked once per restock above: several restocks of
        // one product may be received, now that the reorder policy follows demand).
        `select order_id, sku, kind from stock_movements where order_id is not null
          group by 1, 2, 3 having count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
      const orders = await db.query<{ n: string }>(`select count(*) as n from stock_orders`);
      expect(Number(orders.rows[0]!.n)).toBe(
        paid.length + failed.filter((o) => o.failure?.stage === 'payment').length,
      );
    });
  }, 360_000);
});
