/**
 * CDC lag under load: the stock service applies 1,500 orders' lifecycle records to the shop database
 * as fast as it can (some hundreds of stock row changes a second) while the source connector streams
 * them and the sink lands them. The warehouse stamps each landed row (landed_at); landed_at minus
 * the shop row's updated_at (its transaction's start) is the lag of that change. At the end reconcile
 * passes: every change landed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopStock } from '../../../common/shop-seed.ts';
import { deleteCdc, deployCdc } from '../../../connect/deploy.ts';
import type { CdcValues } from '../../../connect/cdc-config.ts';
import { reconcileShop } from '../../../shop/reconcile.ts';
import { isClean } from '../../../shop/reconcile-compare.ts';
import { finalOrders } from '../landing/landing-fixture.ts';
import { freshSchema, type FreshSchema } from '../warehouse/fresh-schema.ts';
import { conn } from '../helpers.ts';
import { localCdcValues } from './fresh-shop.ts';
import { lifecycleOf, recordCount, stockFixture } from './stock-fixture.ts';

const stock = stockFixture('cdcload');
let wh: FreshSchema;
let values: CdcValues;

beforeAll(async () => {
  wh = await freshSchema('cdcload');
  values = localCdcValues(stock.prefix, wh.schema, stock.shopUrl);
  expect((await deployCdc(conn.connectUrl, values, 1, 120_000)).healthy).toBe(true);
});

// Runs before the fixture's teardown (which also deletes the change topics, under the prefix): the
// connectors go before the shop database and its replication slot.
afterAll(async () => {
  await deleteCdc(conn.connectUrl, values).catch(() => undefined);
  await wh?.drop();
});

describe('CDC under the stock service', () => {
  it('lands every stock change; lag measured per landed change', async () => {
    const records = lifecycleOf(finalOrders(1500, 12));
    await stock.send(records);
    const total = recordCount(records);

    const started = Date.now();
    const service = await stock.start(50);
    // Sample the landed rows' lag while the service runs: each (sku, updated_at) once.
    const lags = new Map<string, number>();
    const sample = async () => {
      const { rows } = await wh.client.query<{ k: string; ms: number }>(
        `select sku || '@' || updated_at::text as k, extract(epoch from landed_at - updated_at) * 1000 as ms from shop_stock`,
      );
      for (const r of rows) if (!lags.has(r.k)) lags.set(r.k, Number(r.ms));
    };
    while (service.applied() < total) {
      if (Date.now() - started > 180_000)
        throw new Error(`stock service at ${service.applied()} of ${total}`);
      await sample();
      await sleep(100);
    }
    const seconds = (Date.now() - started) / 1000;
    let clean = false;
    for (let i = 0; i < 120 && !clean; i++) {
      await sample();
      clean = (
        await reconcileShop({
          shopDatabaseUrl: stock.shopUrl,
          databaseUrl: conn.databaseUrl,
          warehouseSchema: wh.schema,
        })
      ).every(isClean);
      if (!clean) await sleep(250);
    }
    expect(clean).toBe(true);
    const sorted = [...lags.values()].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    console.log(
      `stock service: ${total} records in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s); CDC lag over ${sorted.length} sampled stock changes: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`,
    );
    expect(sorted.length).toBeGreaterThan(55);

    // The warehouse's stock facts, built from the landed movements alone, agree with the shop:
    // opening stock + every on-hand change = the current level, and the daily snapshot's first
    // day opens at the seeded stock.
    const opening = new Map(shopStock(1).map((x) => [x.sku, x.on_hand]));
    const net = await wh.client.query<{ sku: number; change: string; on_hand: number; first_open: string }>(
      `select s.sku, coalesce(sum(f.on_hand_change), 0) as change, s.on_hand,
              (select closing_on_hand - on_hand_change from fact_product_stock p
                where p.sku = s.sku and p.location_id = s.location_id order by snapshot_day limit 1) as first_open
         from shop_stock s left join fact_stock_movement f using (sku, location_id)
        where s.location_id = 'central' group by s.sku, s.on_hand, s.location_id order by s.sku`,
    );
    for (const r of net.rows) {
      expect(opening.get(r.sku)! + Number(r.change)).toBe(r.on_hand);
      if (r.first_open !== null) expect(Number(r.first_open)).toBe(opening.get(r.sku));
    }
    const levels = await wh.client.query<{ n: string; restocks: string }>(
      `select count(*) as n, (select count(*) from fact_restock) as restocks from metric_stock_levels`,
    );
    expect(Number(levels.rows[0]!.n)).toBe(55);
    console.log(`facts: ${levels.rows[0]!.restocks} restock(s) in fact_restock`);
  }, 300_000);
});
