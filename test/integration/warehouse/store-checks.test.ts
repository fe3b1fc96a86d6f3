/**
 * The data-quality assertions of channels, stores and VAT (schema 0.4.0): they pass on a clean sample
 * with till sales, VAT on every line and the storefront carts of the online orders, and each fails
 * on a row corrupted the way it describes (inside a transaction rolled back after the count).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../../warehouse/check.ts';
import { ASSERTIONS } from '../../../warehouse/checks.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { sampleData } from '../../../warehouse/sample-data.ts';
import { SEED_CARTS_SQL } from '../dashboard/seeded-carts.ts';
import { databaseUrl, freshSchema, type FreshSchema } from './fresh-schema.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../bin/orderflow.mjs', import.meta.url));

let db: FreshSchema;

// seed 15: 400 orders over the 90 days from 2025-11-15, a third of those placed in opening hours at a till
const data = sampleData({
  seed: 15,
  orders: 400,
  start: Date.UTC(2025, 10, 15),
  days: 90,
  customers: 120,
  storeShare: 1 / 3,
});

beforeAll(async () => {
  db = await freshSchema('storechecks');
  await loadSample(db.client, data);
  await db.client.query(SEED_CARTS_SQL);
});
afterAll(async () => {
  await db?.drop();
});

const assertion = (name: string) => {
  const a = ASSERTIONS.find((x) => x.name === name);
  if (!a) throw new Error(`no assertion ${name}`);
  return a;
};

/** The offending count of `name` after `corrupt`, in a transaction rolled back afterwards. */
async function offendingAfter(name: string, corrupt: string): Promise<number> {
  await db.client.query('begin');
  try {
    await db.client.query(corrupt);
    const { rows } = await db.client.query<{ offending: string }>(assertion(name).sql);
    return Number(rows[0]!.offending);
  } finally {
    await db.client.query('rollback');
  }
}

const ONE_STORE_ORDER = `(select min(order_id) from orders where channel = 'store')`;
const ONE_ONLINE_ORDER = `(select min(order_id) from orders where channel = 'online')`;
/** The corruption `update orders set <set>` of one store order, or of one online order. */
const storeOrder = (set: string) => `update orders set ${set} where order_id = ${ONE_STORE_ORDER}`;
const onlineOrder = (set: string) => `update orders set ${set} where order_id = ${ONE_ONLINE_ORDER}`;

describe('warehouse checks of channels, stores and VAT', () => {
  it('the sample has till sales, VAT on every line, exempt lines and carts for the online orders', async () => {
    const { rows } = await db.client.query<Record<string, string>>(
      `select count(*) filter (where channel = 'store') as store, count(*) filter (where channel = 'online') as online,
              count(distinct store_id) as stores, count(distinct tender) as tenders,
              count(*) filter (where channel = 'online' and cart_id is null) as online_without_cart,
              count(*) filter (where channel = 'store' and cart_id is not null) as store_with_cart,
              (select count(*) from order_items where vat_rate is null) as lines_without_vat,
              (select count(*) from order_items where vat_rate = 0) as exempt_lines,
              (select count(*) from dim_cart) as carts
         from orders`,
    );
    const r = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
    expect(r.store).toBeGreaterThan(40);
    expect(r.online).toBeGreaterThan(200);
    expect(r.stores).toBeGreaterThan(5);
    expect(r.tenders).toBe(4);
    expect(r).toMatchObject({ online_without_cart: 0, store_with_cart: 0, lines_without_vat: 0 });
    expect(r.exempt_lines).toBeGreaterThan(0);
    expect(r.carts).toBeGreaterThan(r.online!);
  });

  it('passes on clean data: every assertion (the lifecycle ones too) has 0 offending', async () => {
    const results = await runChecks(db.client);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(results).toHaveLength(ASSERTIONS.length);
  });

  it('passes on orders landed before 0.4.0: no channel, no VAT, no cart', async () => {
    await db.client.query('begin');
    try {
      await db.client.query(`create temporary table legacy on commit drop as
                               select order_id from orders where channel = 'online' order by order_id limit 20`);
      await db.client.query(`update orders set channel = null, vat_total = null, cart_id = null
                              where order_id in (select order_id from legacy)`);
      await db.client.query(`update order_items set vat_rate = null, vat_amount = null
                              where order_id in (select order_id from legacy)`);
      for (const name of [
        'every online order has a cart',
        'online orders have no store',
        'order vat_total = sum(vat_amount)',
        'line VAT rule',
        'line VAT rate = rate in force',
        'status agrees with dates',
      ]) {
        const { rows } = await db.client.query<{ offending: string }>(assertion(name).sql);
        expect([name, Number(rows[0]!.offending)]).toEqual([name, 0]);
      }
    } finally {
      await db.client.query('rollback');
    }
  });

  const cases: [string, string, string][] = [
    [
      'every online order has a cart',
      'an online generator order without its cart (an order API order, API-..., may have none)',
      `update orders set cart_id = null where order_id = ${ONE_ONLINE_ORDER};
       insert into orders (order_id, order_date, customer_id, channel, cart_id)
       select 'API-' || order_id, order_date, customer_id, 'online', null from orders where order_id = ${ONE_ONLINE_ORDER}`,
    ],
    [
      'order vat_total = sum(vat_amount)',
      'an order whose vat_total is a centavo off',
      storeOrder('vat_total = vat_total + 0.01'),
    ],
    ['order vat_total = sum(vat_amount)', 'a 0.4.0 order without vat_total', onlineOrder('vat_total = null')],
    [
      'line VAT rule',
      "a line's vat_amount a centavo off",
      `update order_items set vat_amount = vat_amount + 0.01 where item_id = (select min(item_id) from order_items where vat_rate > 0)`,
    ],
    [
      'line VAT rate = rate in force',
      'a line at 10% (the rate before 2006) with the VAT of that rate',
      `update order_items set vat_rate = 10.00, vat_amount = round(subtotal * 10 / 110, 2)
        where item_id = (select min(item_id) from order_items where vat_rate = 12)`,
    ],
    [
      'store orders are never shipped',
      'a store order with a shipped date',
      storeOrder("shipped_date = payment_date + interval '1 hour'"),
    ],
    ['store orders are never shipped', 'a store order with a cart', storeOrder("cart_id = 'CART-X'")],
    [
      'store orders name a known store',
      'a store order at a store that does not exist',
      storeOrder("store_id = 'ST-XX-99'"),
    ],
    ['store orders are paid at the till', 'a store order without a tender', storeOrder('tender = null')],
    [
      'store orders are paid at the till',
      'a store order finished a day after its payment',
      storeOrder("finished_date = payment_date + interval '1 day'"),
    ],
    ['online orders have no store', 'an online order with a store', onlineOrder("store_id = 'ST-00-01'")],
    ['orders.channel known', 'an order of an unknown channel', onlineOrder("channel = 'kiosk'")],
    [
      'status agrees with dates',
      'an online order delivered without a shipped date (only a till sale may be)',
      `update orders set shipped_date = null
        where order_id = (select min(order_id) from orders where channel = 'online' and order_status = 'DELIVERED')`,
    ],
    [
      'eta after payment',
      'a paid online order without an eta (only a till sale has none)',
      `update orders set eta = null
        where order_id = (select min(order_id) from orders where channel = 'online' and payment_date is not null)`,
    ],
  ];
  for (const [name, what, corrupt] of cases) {
    it(`"${name}" fails on ${what}`, async () => {
      expect(await offendingAfter(name, corrupt)).toBe(1);
    });
  }

  it('orderflow warehouse check exits 1 and names a corrupted store order', async () => {
    await db.client.query(storeOrder("tender = 'IOU'"));
    const out = await run(process.execPath, [cli, 'warehouse', 'check', '--schema', db.schema], {
      env: { ...process.env, ORDERFLOW_DATABASE_URL: databaseUrl },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(out.code).toBe(1);
    expect(out.out).toMatch(/^FAIL {2}store orders are paid at the till +1 offending$/m);
    expect(out.out.match(/^FAIL /gm)).toHaveLength(1);
  });
});
