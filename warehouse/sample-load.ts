import type pg from 'pg';
import type { Customers, OrderItems, Orders } from '../schemas/types.generated.ts';
import {
  columnArrays,
  PRODUCT_COLUMNS,
  replaceVatRules,
  upsertLocations,
  upsertProducts,
  upsertStores,
  type ProductRow,
} from './reference-data.ts';
import type { SampleData } from './sample-data.ts';

/**
 * Write sample rows the way the JDBC sink does: upserts by key, customers one statement per row in
 * delivery order (so the landing trigger sees late, older versions as the sink would deliver them).
 * The sample's catalogue lands as the shop's change stream would land it (landShopCatalogue), so
 * dim_product has a version per product; `{ shopCatalogue: false }` leaves that to the caller.
 */
export async function loadSample(
  client: pg.Client,
  data: SampleData,
  options: { shopCatalogue?: boolean } = {},
): Promise<void> {
  await upsertProducts(client, data.products);
  await upsertLocations(client, data.locations);
  await upsertStores(client, data.stores);
  await replaceVatRules(client, data.vatRules);
  if (options.shopCatalogue !== false) {
    const first = data.orders.reduce((t, o) => Math.min(t, o.order_date ?? t), Date.now());
    await landShopCatalogue(client, data.products, first);
  }
  await upsertRows(client, 'orders', 'order_id', data.orders, ORDER_TIMES);
  await upsertRows(client, 'order_items', 'item_id', data.items, ['order_date']);
  await client.query('begin');
  try {
    for (const c of data.customers) await upsertRows(client, 'customers', 'customer_id', [c], ['as_of']);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

const ORDER_TIMES = ['order_date', 'payment_date', 'shipped_date', 'eta', 'finished_date', 'failed_at'];

/** INSERT ... ON CONFLICT (key) DO UPDATE, in batches; epoch-ms fields become timestamptz. */
export async function upsertRows(
  client: pg.Client,
  table: string,
  key: string,
  rows: (Orders | OrderItems | Customers)[],
  timeColumns: string[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const batch = Math.floor(30000 / columns.length);
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const record = row as unknown as Record<string, unknown>;
      const placeholders = columns.map((column) => {
        const value = record[column] ?? null;
        const isTime = timeColumns.includes(column);
        values.push(isTime && value !== null ? new Date(value as number).toISOString() : value);
        return `$${values.length}${isTime ? '::timestamptz' : ''}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const updates = columns.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`);
    await client.query(
      `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}
       on conflict (${key}) do update set ${updates.join(', ')}`,
      values,
    );
  }
}

/**
 * Products as the shop database's CDC sink lands them (migrations 011 and 014): a shop_products row
 * each and one 'opening' price change at `openedAt` (UTC ms), the only version of each product in
 * dim_product (it holds from the start of time). For a warehouse filled from sample data, with no shop
 * database streaming into it; upserts, so loading twice changes nothing.
 */
export async function landShopCatalogue(
  client: pg.Client,
  products: readonly ProductRow[],
  openedAt: number,
): Promise<void> {
  if (products.length === 0) return;
  const columns = columnArrays(products, PRODUCT_COLUMNS);
  const at = new Date(openedAt).toISOString();
  await client.query(
    `insert into shop_products (sku, name, category, price, cost, reorder_point, reorder_quantity, lead_time_days, updated_at)
     select sku, name, category, price, cost, 0, 0, 0, $6::timestamptz
       from unnest($1::integer[], $2::text[], $3::text[], $4::numeric[], $5::numeric[]) as p (sku, name, category, price, cost)
     on conflict (sku) do update
        set name = excluded.name, category = excluded.category, price = excluded.price, cost = excluded.cost`,
    [...columns, at],
  );
  await client.query(
    `insert into shop_price_changes (sku, effective_at, price, cost, reason)
     select sku, $4::timestamptz, price, cost, 'opening'
       from unnest($1::integer[], $2::numeric[], $3::numeric[]) as p (sku, price, cost)
     on conflict (sku, effective_at) do update set price = excluded.price, cost = excluded.cost`,
    [columns[0], columns[3], columns[4], at],
  );
}
