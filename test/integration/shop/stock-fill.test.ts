/**
 * The stock service on one year of seeded lifecycle records (seed 1, 2025-01-01..2026-01-01, the
 * default generator through the stage transforms), read in two arrival orders, each into its own
 * fresh shop database:
 *
 * - as `orderflow run` delivers them: the service is running first, the whole paid history arrives
 *   and is read before any end is written (the payment stage writes its output long before the
 *   delivery stage), then the ends (finished, then failed);
 * - all of them in Kafka before the service starts (the partitions then interleave differently).
 *
 * The stock, the restocks and every movement come out the same in both (the service applies records
 * in event-time order, stock/event-order.ts; in arrival order the restocks already differed, and a
 * `run --no-live` read 88% where this read 99%). The fill rate (units reserved out of units reserved
 * or backordered, as the dashboard's stock tab computes it) is at least 95%, stock-outs stay
 * recorded as backorders, and no order fails for want of stock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import type { StockService } from '../../../stock/service.ts';
import { throughLifecycle } from '../landing/landing-fixture.ts';
import { lifecycleOf, recordCount, stockFixture, type StockFixture } from './stock-fixture.ts';

const SEED = 1;
const asInRun = stockFixture('stockrun', { seed: SEED });
const preloaded = stockFixture('stockpre', { seed: SEED });
const config = makeConfig({ seed: SEED, from: Date.UTC(2025, 0, 1), until: Date.UTC(2026, 0, 1) });
const records = lifecycleOf(throughLifecycle(generateOrders(config, { now: () => 0 }), SEED));
const total = recordCount(records);

async function untilApplied(stock: StockFixture, service: StockService): Promise<void> {
  const started = Date.now();
  while (service.applied() < total) {
    stock.fatal();
    if (Date.now() - started > 600_000)
      throw new Error(`stock service stuck at ${service.applied()} of ${total}`);
    await sleep(250);
  }
}

/** Everything the service decided, in a form to compare: stock, restocks, movements. */
async function outcome(
  db: pg.Client,
): Promise<{ stock: unknown[]; restocks: unknown[]; movements: unknown[] }> {
  const stock = await db.query(
    'select sku, location_id, on_hand, reserved, backordered from stock order by sku, location_id',
  );
  const restocks = await db.query(
    `select restock_id, sku, quantity, status, ordered_at, expected_at, received_at from restocks order by restock_id`,
  );
  const movements = await db.query(
    `select sku, kind, quantity, event_time, order_id, restock_id from stock_movements
      order by event_time, kind, sku, order_id nulls last, restock_id nulls last, quantity`,
  );
  return { stock: stock.rows, restocks: restocks.rows, movements: movements.rows };
}

describe('the stock service, whatever the arrival order (one year, seed 1)', () => {
  it('comes to the same stock either way and fills at least 95%; stock-outs are backorders, never failures', async () => {
    // As in a run: running first, the paid history read before any end is written.
    const service = await asInRun.start(200);
    const started = Date.now();
    await asInRun.send({ paid: records.paid });
    // Until it has read them: the applied count stays put while the records wait for the ends.
    for (let last = -1, quiet = 0; quiet < 10; await sleep(100)) {
      asInRun.fatal();
      quiet = service.applied() === last ? quiet + 1 : 0;
      last = service.applied();
    }
    await asInRun.send({ finished: records.finished, failed: records.failed });
    await untilApplied(asInRun, service);
    console.log(`as in a run: ${total} records applied in ${Date.now() - started} ms`);

    await preloaded.send(records);
    await untilApplied(preloaded, await preloaded.start(200));

    const run = await asInRun.shop(outcome);
    const pre = await preloaded.shop(outcome);
    expect(run.movements.length).toBeGreaterThan(10_000);
    expect(run.restocks).toEqual(pre.restocks);
    expect(run.stock).toEqual(pre.stock);
    expect(run.movements).toEqual(pre.movements);

    await asInRun.shop(async (db) => {
      const { rows } = await db.query<{
        reserved: string;
        backordered: string;
        taken_at_end: string;
        restocks: string;
        open: string;
      }>(
        `select (select coalesce(sum(quantity), 0) from stock_movements where kind = 'reserve') as reserved,
                (select coalesce(sum(quantity), 0) from stock_movements c where kind = 'consume'
                  and not exists (select 1 from stock_movements r where r.order_id = c.order_id and r.sku = c.sku and r.kind = 'reserve')) as taken_at_end,
                (select coalesce(sum(quantity), 0) from stock_movements where kind = 'backorder') as backordered,
                (select count(*) from restocks) as restocks,
                (select count(*) from restocks where status = 'ordered') as open`,
      );
      // Units taken from the shelf: reserved when paid, or consumed at once when the order's end
      // was applied before its payment (the stock service takes them then).
      const reserved = Number(rows[0]!.reserved) + Number(rows[0]!.taken_at_end);
      const backordered = Number(rows[0]!.backordered);
      const fill = reserved / (reserved + backordered);
      console.log(
        `fill rate ${(fill * 100).toFixed(2)}%: ${reserved} units taken (${rows[0]!.taken_at_end} at the order's end), ${backordered} backordered, ${rows[0]!.restocks} restocks (${rows[0]!.open} open)`,
      );
      expect(reserved).toBeGreaterThan(20_000);
      expect(fill).toBeGreaterThanOrEqual(0.95);
      // Every order the service saw is settled: none refused for want of stock.
      const orders = await db.query<{ n: string }>(
        `select count(*) as n from stock_orders where ended is null`,
      );
      expect(Number(orders.rows[0]!.n)).toBe(0);
    });
  }, 900_000);
});
