/**
 * dim_product (SCD type 2 from the shop's change stream, migration 019) and the margin at order
 * time on a real PostgreSQL: the shop's price schedule
 * (seed 7) landed as shop_price_changes, the generator's order lines for the same seed as
 * order_items. Every line's unit_price is the price in force at its order time (the check passes),
 * line costs follow the cost in force (compared with the schedule computed in TypeScript), and a line
 * at a wrong price fails the check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopPriceChanges, shopProducts } from '../../../common/shop-seed.ts';
import { toCents } from '../../../common/money.ts';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { CATALOGUE, PRODUCTS } from '../../../reference/catalogue.ts';
import { PriceBook, priceSchedule } from '../../../reference/price-schedule.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { runChecks } from '../../../warehouse/check.ts';
import { upsertProducts } from '../../../warehouse/reference-data.ts';
import { freshSchema, type FreshSchema } from './fresh-schema.ts';

const SEED = 7;
const RULE = 'unit_price = price in force';
const BELOW_COST = 'no line sold below cost in force';
let db: FreshSchema;
let orders: Order[];

async function offending(rule = RULE): Promise<number> {
  const results = await runChecks(db.client);
  const r = results.find((x) => x.name === rule);
  expect(r, `assertion ${rule} runs`).toBeDefined();
  return r!.offending;
}

beforeAll(async () => {
  db = await freshSchema('prices');
  await upsertProducts(db.client, PRODUCTS);
  const config = makeConfig({
    seed: SEED,
    from: Date.UTC(2025, 0, 1),
    until: Date.UTC(2026, 0, 1),
    count: 1500,
  });
  orders = [...generateOrders(config, { now: () => 0 })];
  const lines = orders.flatMap((o) =>
    o.item_info.map((i) => ({
      item_id: `${o.order_id}-${i.sku}`,
      order_id: o.order_id,
      order_date: new Date(o.order_date).toISOString(),
      order_status: 'DELIVERED',
      sku: i.sku,
      product_name: i.product_name,
      category: i.category,
      unit_price: i.unit_price,
      quantity: i.quantity,
      discount_percent: i.discount_percent,
      subtotal: i.subtotal,
    })),
  );
  await db.client.query(
    `insert into order_items select * from jsonb_populate_recordset(null::order_items, $1::jsonb)`,
    [JSON.stringify(lines)],
  );
  await db.client.query(
    `insert into shop_products (sku, name, category, price, cost, reorder_point, reorder_quantity, lead_time_days, updated_at)
     select sku, name, category, price, cost, reorder_point, reorder_quantity, lead_time_days, now()
       from jsonb_populate_recordset(null::shop_products, $1::jsonb)`,
    [JSON.stringify(shopProducts(SEED))],
  );
  await db.client.query(
    `insert into shop_price_changes (sku, effective_at, price, cost, reason)
     select sku, effective_at, price, cost, reason from jsonb_populate_recordset(null::shop_price_changes, $1::jsonb)`,
    [JSON.stringify(shopPriceChanges(SEED))],
  );
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe('product price history (SCD type 2) and margin at order time', () => {
  it('holds one version per scheduled change, contiguous, exactly one current per product', async () => {
    const { rows } = await db.client.query<{
      sku: number;
      versions: string;
      current: string;
      gaps: string;
      open_ended: string;
    }>(`select sku, count(*) as versions, count(*) filter (where is_current) as current,
               count(*) filter (where valid_to is not null and valid_to <> next_from) as gaps,
               count(*) filter (where valid_to is null) as open_ended
          from (select *, lead(valid_from) over (partition by sku order by valid_from) as next_from
                  from dim_product) v
         group by sku order by sku`);
    const schedule = priceSchedule(SEED);
    expect(rows).toHaveLength(CATALOGUE.length);
    for (const r of rows) {
      expect(Number(r.versions)).toBe(schedule.filter((c) => c.sku === r.sku).length);
      expect(Number(r.current)).toBe(1);
      expect(Number(r.gaps)).toBe(0);
      expect(Number(r.open_ended)).toBe(1);
    }
  });

  it('prices every generated line at the price in force at its order time (check passes)', async () => {
    const { rows } = await db.client.query<{ lines: string; versioned: string; off_list: string }>(
      `select count(*) as lines, count(price_in_force) as versioned,
              count(*) filter (where f.list_price <> p.price) as off_list
         from fact_order_items f join products p using (sku)`,
    );
    const lines = orders.reduce((n, o) => n + o.item_info.length, 0);
    expect(Number(rows[0]!.lines)).toBe(lines);
    expect(Number(rows[0]!.versioned)).toBe(lines);
    // The schedule really moved prices: many lines are not at the catalogue's list price.
    expect(Number(rows[0]!.off_list)).toBeGreaterThan(lines / 10);
    expect(await offending()).toBe(0);
  });

  it('costs each line at the cost in force at its order time', async () => {
    const book = new PriceBook(SEED);
    let expected = 0;
    for (const o of orders)
      for (const i of o.item_info)
        expected += i.quantity * book.entryAt(CATALOGUE[i.sku - 1]!, o.order_date).costCents;
    const { rows } = await db.client.query<{ cogs: string; at_catalogue: string }>(
      `select sum(line_cost)::text as cogs, sum(f.quantity * p.cost)::text as at_catalogue
         from fact_order_items f join products p using (sku)`,
    );
    expect(toCents(rows[0]!.cogs)).toBe(expected);
    expect(toCents(rows[0]!.at_catalogue)).not.toBe(expected);
  });

  it('sells no generated line below the cost in force, and fails the check on one that is', async () => {
    const { rows } = await db.client.query<{ discounted: string; thin: string }>(
      `select count(*) filter (where discount_percent > 0) as discounted,
              count(*) filter (where discount_percent > 0 and subtotal < quantity * price_in_force * 0.9) as thin
         from fact_order_items`,
    );
    // Deep sales exist (the rule is not passing on undiscounted data only).
    expect(Number(rows[0]!.discounted)).toBeGreaterThan(100);
    expect(Number(rows[0]!.thin)).toBeGreaterThan(10);
    expect(await offending(BELOW_COST)).toBe(0);
    // One line discounted to one centavo under its cost in force: the check names exactly it.
    await db.client.query(
      `update order_items i set subtotal = f.line_cost - 0.01,
              discount_percent = round((1 - (f.line_cost - 0.01) / (i.unit_price * i.quantity)) * 100, 2)
         from fact_order_items f
        where f.item_id = i.item_id and i.item_id = (select max(item_id) from order_items)`,
    );
    expect(await offending(BELOW_COST)).toBe(1);
  });

  it('gives a product streamed without price changes its landed row as its only version', async () => {
    // runChecks commits, so the changes are undone by hand rather than rolled back.
    await db.client.query(
      'create temporary table saved_changes as select * from shop_price_changes where sku = 1',
    );
    await db.client.query('delete from shop_price_changes where sku = 1');
    try {
      const { rows } = await db.client.query<{
        price: string;
        cost: string;
        open: boolean;
        current: boolean;
      }>(
        `select price::text, cost::text, valid_from = '-infinity' and valid_to is null as open, is_current as current
           from dim_product where sku = 1`,
      );
      const shop = shopProducts(SEED).find((p) => p.sku === 1)!;
      expect(rows).toEqual([{ price: shop.price, cost: shop.cost, open: true, current: true }]);
      expect(await offending('dim_product: one current version per product')).toBe(0);
      expect(await offending('order lines have a product version')).toBe(0);
    } finally {
      await db.client.query('insert into shop_price_changes select * from saved_changes');
    }
    // A line of a SKU the shop never streamed has no version, and the check counts it.
    const line = `(select item_id from order_items order by item_id offset 1 limit 1)`;
    const { rows } = await db.client.query<{ sku: number }>(
      `select sku from order_items where item_id = ${line}`,
    );
    await db.client.query(`update order_items set sku = 999 where item_id = ${line}`);
    try {
      expect(await offending('order lines have a product version')).toBe(1);
    } finally {
      await db.client.query(`update order_items set sku = $1 where item_id = ${line}`, [rows[0]!.sku]);
    }
  });

  it('fails the check on a line at a wrong price, naming the count', async () => {
    await db.client.query(
      `update order_items set unit_price = unit_price + 1, subtotal = round((unit_price + 1) * quantity * (1 - discount_percent / 100), 2)
        where item_id = (select min(item_id) from order_items)`,
    );
    expect(await offending()).toBe(1);
  });
});
