import type pg from 'pg';
import type { Customers, OrderItems, Orders } from '../schemas/types.generated.ts';
import { upsertLocations, upsertProducts } from './reference-data.ts';
import type { SampleData } from './sample-data.ts';

/**
 * Write sample rows the way the JDBC sink does: upserts by key, customers one statement per row in
 * delivery order (so the landing trigger sees late, older versions as the sink would deliver them).
 */
export async function loadSample(client: pg.Client, data: SampleData): Promise<void> {
  await upsertProducts(client, data.products);
  await upsertLocations(client, data.locations);
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
