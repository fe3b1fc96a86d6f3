import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import { connectShop, migrateShop, shopSlotName } from '../../../common/shop-database.ts';
import { SHOP_LOCATIONS, shopPriceChanges } from '../../../common/shop-seed.ts';
import { ORDERFLOW_BIN } from '../helpers.ts';
import { dropShop, freshShopUrl } from './fresh-shop.ts';

const run = promisify(execFile);
const url = freshShopUrl('db');

afterAll(async () => {
  await dropShop(url);
});

async function refusal(sql: string): Promise<string> {
  const client = await connectShop(url);
  try {
    await client.query(sql);
    return 'accepted';
  } catch (error) {
    const e = error as { message: string; hint?: string; code?: string };
    return `${e.code}: ${e.message} (${e.hint ?? ''})`;
  } finally {
    await client.end();
  }
}

describe('the shop database', () => {
  it('is created, migrated, seeded from the reference data and given a slot, idempotently', async () => {
    const [a, b] = await Promise.all([migrateShop(url, 1), migrateShop(url, 1)]);
    expect([a.applied.length > 0, b.applied.length > 0].sort()).toEqual([false, true]);
    expect([a.seeded, b.seeded].sort()).toEqual([false, true]);
    const client = await connectShop(url);
    try {
      const products = await client.query<{
        sku: number;
        price: string;
        cost: string;
        lead_time_days: number;
      }>('select sku, price::text, cost::text, lead_time_days from products order by sku');
      expect(products.rows.map((r) => [r.sku, r.price, r.cost])).toEqual(
        CATALOGUE.map((p) => [p.sku, p.price, p.cost]),
      );
      for (const r of products.rows) expect(r.lead_time_days).toBeGreaterThanOrEqual(3);
      const stock = await client.query<{ n: string; min: number }>(
        'select count(*) as n, min(on_hand) as min from stock',
      );
      expect(Number(stock.rows[0]!.n)).toBe(CATALOGUE.length * SHOP_LOCATIONS.length);
      expect(stock.rows[0]!.min).toBeGreaterThan(0);
      const slot = await client.query<{ plugin: string; database: string }>(
        'select plugin, database from pg_replication_slots where slot_name = $1',
        [shopSlotName(url)],
      );
      expect(slot.rows).toEqual([{ plugin: 'pgoutput', database: new URL(url).pathname.slice(1) }]);
      const publication = await client.query<{ tablename: string }>(
        `select tablename from pg_publication_tables where pubname = 'orderflow_shop' order by 1`,
      );
      expect(publication.rows.map((r) => r.tablename)).toEqual([
        'cdc_heartbeat',
        'locations',
        'price_changes',
        'products',
        'restocks',
        'stock',
        'stock_movements',
      ]);
      // The seed's price schedule, row for row (reference/price-schedule.ts).
      const changes = await client.query<{
        sku: number;
        at: Date;
        price: string;
        cost: string;
        reason: string;
      }>(
        `select sku, effective_at as at, price::text, cost::text, reason from price_changes order by sku, effective_at`,
      );
      expect(
        changes.rows.map((r) => ({
          sku: r.sku,
          effective_at: r.at.toISOString(),
          price: r.price,
          cost: r.cost,
          reason: r.reason,
        })),
      ).toEqual(shopPriceChanges(1));
      expect([a.priceChanges, b.priceChanges].sort((x, y) => x - y)).toEqual([0, changes.rows.length]);
      // A changed stock level survives a re-migrate: the seed runs once.
      await client.query(`update stock set on_hand = 7 where sku = 1`);
    } finally {
      await client.end();
    }
    const again = await run(process.execPath, [ORDERFLOW_BIN, 'shop', 'migrate', '--shop-database-url', url]);
    expect(again.stdout).toContain('0 migration(s) applied, already seeded, price schedule in place, slot');
    const client2 = await connectShop(url);
    try {
      const { rows } = await client2.query<{ on_hand: number }>('select on_hand from stock where sku = 1');
      expect(rows[0]!.on_hand).toBe(7);
    } finally {
      await client2.end();
    }
  });

  it('refuses negative stock and prices below zero with a message naming the row, the value and the fix', async () => {
    expect(await refusal(`update stock set on_hand = -3 where sku = 2`)).toBe(
      '23514: stock of SKU 2 at central may not be negative: on_hand = -3 (on_hand counts units on the shelf: use 0 or more)',
    );
    expect(await refusal(`update stock set reserved = on_hand + 1 where sku = 2`)).toMatch(
      /^23514: stock of SKU 2 at central: reserved = \d+ must be between 0 and on_hand = \d+ \(reserved units are part of on_hand\)$/,
    );
    expect(await refusal(`update products set price = -0.01 where sku = 3`)).toBe(
      '23514: price of SKU 3 may not be below zero: price = -0.01 (prices are PHP amounts of 0.00 or more)',
    );
    expect(await refusal(`update products set cost = -1 where sku = 3`)).toBe(
      '23514: cost of SKU 3 may not be below zero: cost = -1.00 (costs are PHP amounts of 0.00 or more)',
    );
    expect(await refusal(`update price_changes set price = -5 where sku = 6 and reason = 'opening'`)).toMatch(
      /^23514: price change of SKU 6 at .+: price may not be below zero: price = -5\.00 \(prices are PHP amounts of 0\.00 or more\)$/,
    );
    // The trigger is the readable layer; the check constraints hold even with triggers off.
    expect(
      await refusal(
        `begin; set local session_replication_role = replica; update stock set on_hand = -1 where sku = 4; commit`,
      ),
    ).toMatch(/^23514: new row for relation "stock" violates check constraint "stock_on_hand_not_negative"/);
    expect(await refusal(`update stock set on_hand = 0, reserved = 0 where sku = 5`)).toBe('accepted');
  });

  it('reset drops the slot and the database', async () => {
    const out = await run(process.execPath, [ORDERFLOW_BIN, 'shop', 'reset', '--shop-database-url', url]);
    expect(out.stdout).toContain(`slot ${shopSlotName(url)} dropped; database dropped`);
    const migrated = await migrateShop(url, 1);
    expect(migrated.created).toBe(true);
    expect(migrated.slotCreated).toBe(true);
  });
});
