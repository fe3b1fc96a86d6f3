/**
 * The stock service's reorder policy on the real service: two years of seeded lifecycle records
 * (seed 1, 2024-01-01..2026-01-01, the default generator through the stage transforms) consumed
 * from Kafka into a fresh shop database. The fill rate (units reserved out of units reserved or
 * backordered, as the dashboard's stock tab computes it) is at least 95%, stock-outs stay recorded
 * as backorders, and no order fails for want of stock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { throughLifecycle } from '../landing/landing-fixture.ts';
import { lifecycleOf, recordCount, stockFixture } from './stock-fixture.ts';

const SEED = 1;
const stock = stockFixture('stockfill', { seed: SEED });
const config = makeConfig({ seed: SEED, from: Date.UTC(2024, 0, 1), until: Date.UTC(2026, 0, 1) });
const records = lifecycleOf(throughLifecycle(generateOrders(config, { now: () => 0 }), SEED));

describe('the reorder policy on the stock service (two years, seed 1)', () => {
  it('fills at least 95% of the units ordered; stock-outs are backorders, never failures', async () => {
    await stock.send(records);
    const total = recordCount(records);
    const service = await stock.start(200);
    const started = Date.now();
    while (service.applied() < total) {
      stock.fatal();
      if (Date.now() - started > 600_000)
        throw new Error(`stock service stuck at ${service.applied()} of ${total}`);
      await sleep(500);
    }
    console.log(`${total} records applied in ${Date.now() - started} ms`);
    await stock.shop(async (db) => {
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
      // was read before its payment (the stock service takes them then).
      const reserved = Number(rows[0]!.reserved) + Number(rows[0]!.taken_at_end);
      const backordered = Number(rows[0]!.backordered);
      const fill = reserved / (reserved + backordered);
      console.log(
        `fill rate ${(fill * 100).toFixed(2)}%: ${reserved} units taken (${rows[0]!.taken_at_end} at the order's end), ${backordered} backordered, ${rows[0]!.restocks} restocks (${rows[0]!.open} open)`,
      );
      expect(reserved).toBeGreaterThan(50_000);
      expect(fill).toBeGreaterThanOrEqual(0.95);
      // Every order the service saw is settled: none refused for want of stock.
      const orders = await db.query<{ n: string }>(
        `select count(*) as n from stock_orders where ended is null`,
      );
      expect(Number(orders.rows[0]!.n)).toBe(0);
    });
  }, 700_000);
});
