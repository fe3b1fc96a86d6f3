/**
 * `orderflow shop reconcile`: read each CDC table from the shop database and its landed copy
 * (`shop_<table>` in the warehouse schema) and compare them by key.
 */
import type pg from 'pg';
import { connectWarehouse, quoteIdent } from '../common/database.ts';
import { connectShop, SHOP_CDC_TABLES, type ShopTable } from '../common/shop-database.ts';
import { compareTable, type TableDifference, type TextRows } from './reconcile-compare.ts';

async function textRows(
  client: pg.Client,
  relation: string,
  key: readonly string[],
  columns: readonly string[],
) {
  const all = [...key, ...columns];
  const { rows } = await client.query<Record<string, string | null>>(
    `select ${all.map((c) => `${quoteIdent(c)}::text as ${quoteIdent(c)}`).join(', ')} from ${relation}`,
  );
  const out: TextRows = new Map();
  for (const r of rows) out.set(key.map((k) => `${k}=${r[k]}`).join('|'), r);
  return out;
}

export async function reconcileShop(opts: {
  shopDatabaseUrl: string;
  databaseUrl: string;
  warehouseSchema: string;
}): Promise<TableDifference[]> {
  const shop = await connectShop(opts.shopDatabaseUrl);
  const warehouse = await connectWarehouse(opts.databaseUrl, opts.warehouseSchema);
  try {
    // Both sides render timestamps in UTC, so the same instant reads the same.
    await shop.query(`set timezone = 'UTC'`);
    await warehouse.query(`set timezone = 'UTC'`);
    const out: TableDifference[] = [];
    for (const table of Object.keys(SHOP_CDC_TABLES) as ShopTable[]) {
      const { key, columns } = SHOP_CDC_TABLES[table];
      const [a, b] = await Promise.all([
        textRows(shop, `shop.${table}`, key, columns),
        textRows(warehouse, `shop_${table}`, key, columns),
      ]);
      out.push(compareTable(table, columns, a, b));
    }
    return out;
  } finally {
    await Promise.all([shop.end(), warehouse.end()]);
  }
}
