/**
 * Change data capture end to end: a fresh shop database (not migrated: `connect deploy`'s CDC step
 * must create it), the Debezium source connector and the landing sink, a throw-away warehouse
 * schema. The snapshot lands, then streamed inserts, updates and deletes; reconcile passes, and
 * fails naming each row once the landed copy is tampered with. Measures the CDC lag: a change
 * committed in the shop database to the row in the warehouse.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShop } from '../../../common/shop-database.ts';
import { deleteCdc, deployCdc } from '../../../connect/deploy.ts';
import type { CdcValues } from '../../../connect/cdc-config.ts';
import { isClean } from '../../../shop/reconcile-compare.ts';
import { freshSchema, type FreshSchema } from '../warehouse/fresh-schema.ts';
import { conn, deleteTopicsWhere, ORDERFLOW_BIN, uniquePrefix } from '../helpers.ts';
import { dropShop, freshShopUrl, localCdcValues, reconcileUntilClean } from './fresh-shop.ts';

const run = promisify(execFile);
const prefix = uniquePrefix('cdc');
const shopUrl = freshShopUrl('cdc');
let wh: FreshSchema;
let values: CdcValues;

beforeAll(async () => {
  wh = await freshSchema('cdc');
  values = localCdcValues(prefix, wh.schema, shopUrl);
  const deployed = await deployCdc(conn.connectUrl, values, 1, 120_000);
  expect(deployed.shop.created).toBe(true);
  expect(deployed.healthy).toBe(true);
});

afterAll(async () => {
  await deleteCdc(conn.connectUrl, values).catch(() => undefined);
  await dropShop(shopUrl);
  await wh.drop();
  await deleteTopicsWhere((t) => t.startsWith(prefix));
});

describe('change data capture from the shop database', () => {
  it('lands the snapshot, then every insert, update and delete; reconcile passes', async () => {
    expect((await reconcileUntilClean(shopUrl, wh.schema, 90_000, 250)).every(isClean)).toBe(true);
    const { rows } = await wh.client.query<{ n: string }>('select count(*) as n from shop_products');
    expect(Number(rows[0]!.n)).toBe(55);

    const shop = await connectShop(shopUrl);
    try {
      await shop.query(
        `insert into restocks values ('t-1', 1, 'central', 100, 'ordered', now(), now() + interval '5 days', null),
                                     ('t-2', 2, 'central', 50, 'ordered', now(), now() + interval '3 days', null)`,
      );
      await shop.query(
        `update restocks set status = 'received', received_at = now() where restock_id = 't-1'`,
      );
      await shop.query(`delete from restocks where restock_id = 't-2'`);
      await shop.query(
        `update products set price = price + 1.25, cost = cost + 0.5 where sku between 10 and 20`,
      );
      await shop.query(`insert into locations values ('store-cebu', 'Cebu City store', 'store', 'PH-CEB')`);
      await shop.query(
        `insert into stock (sku, location_id, on_hand) select sku, 'store-cebu', 10 from products`,
      );
    } finally {
      await shop.end();
    }
    expect((await reconcileUntilClean(shopUrl, wh.schema, 60_000, 250)).every(isClean)).toBe(true);
    const landed = await wh.client.query<{ restock_id: string; status: string }>(
      'select restock_id, status from shop_restocks',
    );
    expect(landed.rows).toEqual([{ restock_id: 't-1', status: 'received' }]);
    const stores = await wh.client.query<{ n: string }>(
      `select count(*) as n from shop_stock where location_id = 'store-cebu'`,
    );
    expect(Number(stores.rows[0]!.n)).toBe(55);
  });

  it('measures the lag from a commit in the shop database to the row in the warehouse', async () => {
    const shop = await connectShop(shopUrl);
    const lags: number[] = [];
    try {
      // 40 changes, one every 250 ms (4 a second), each a new on_hand for one SKU; poll for it.
      for (let i = 0; i < 40; i++) {
        const sku = (i % 55) + 1;
        const value = 5000 + i;
        await shop.query('update stock set on_hand = $1 where sku = $2 and location_id = $3', [
          value,
          sku,
          'central',
        ]);
        const committed = performance.now();
        for (;;) {
          const { rows } = await wh.client.query<{ on_hand: number }>(
            `select on_hand from shop_stock where sku = $1 and location_id = 'central'`,
            [sku],
          );
          if (rows[0]?.on_hand === value) break;
          if (performance.now() - committed > 30_000) throw new Error(`change ${i} not landed in 30 s`);
          await sleep(10);
        }
        lags.push(performance.now() - committed);
        await sleep(250);
      }
    } finally {
      await shop.end();
    }
    lags.sort((a, b) => a - b);
    const at = (q: number) => Math.round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))]!);
    console.log(
      `CDC lag over ${lags.length} changes: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`,
    );
    expect(at(0.5)).toBeLessThan(5_000);
  });

  it('reconcile exits 1 naming every missing, extra and different row of the landed copy', async () => {
    await wh.client.query(`update shop_stock set on_hand = 999999 where sku = 3 and location_id = 'central'`);
    await wh.client.query(`delete from shop_products where sku = 4`);
    await wh.client.query(
      `insert into shop_restocks values ('ghost', 5, 'central', 1, 'ordered', now(), now(), null)`,
    );
    const out = await run(process.execPath, [
      ORDERFLOW_BIN,
      'shop',
      'reconcile',
      '--shop-database-url',
      shopUrl,
      '--schema',
      wh.schema,
    ]).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('stock sku=3|location_id=central: on_hand is');
    expect(out.stdout).toContain(', 999999 landed');
    expect(out.stdout).toContain('products sku=4: in the shop database, not landed in the warehouse');
    expect(out.stdout).toContain(
      'restocks restock_id=ghost: landed in the warehouse, not in the shop database',
    );
    expect(out.stderr).toContain('3 difference(s)');
    expect(out.stderr).toContain('ORDERFLOW_SHOP_MISMATCH');
  });
});
