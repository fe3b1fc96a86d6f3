import type pg from 'pg';

export interface RefreshResult {
  calendarDays: number;
  customersRebuilt: number | null;
  materializedViews: string[];
  ms: number;
}

/**
 * Bring the derived parts of the warehouse up to date: extend the calendar over the data's years,
 * optionally rebuild every customer's SCD2 history (normally the landing trigger keeps it current),
 * and refresh every materialized view in the schema.
 */
export async function refreshWarehouse(
  client: pg.Client,
  options: { rebuildCustomers?: boolean } = {},
): Promise<RefreshResult> {
  const started = performance.now();
  const calendar = await client.query<{ n: number }>('select refresh_dim_date() as n');
  let customersRebuilt: number | null = null;
  if (options.rebuildCustomers) {
    const r = await client.query<{ n: number }>('select rebuild_all_dim_customers() as n');
    customersRebuilt = r.rows[0]?.n ?? 0;
  }
  const { rows } = await client.query<{ name: string; populated: boolean; has_unique: boolean }>(`
    select m.matviewname as name, m.ispopulated as populated,
           exists (select 1 from pg_index i where i.indrelid = format('%I.%I', m.schemaname, m.matviewname)::regclass
                    and i.indisunique and i.indpred is null) as has_unique
      from pg_matviews m
     where m.schemaname = current_schema()
     order by m.matviewname`);
  for (const mv of rows) {
    // CONCURRENTLY keeps the view readable during the refresh; it needs a unique index and data.
    const concurrently = mv.populated && mv.has_unique ? 'concurrently ' : '';
    await client.query(`refresh materialized view ${concurrently}"${mv.name}"`);
  }
  return {
    calendarDays: calendar.rows[0]?.n ?? 0,
    customersRebuilt,
    materializedViews: rows.map((r) => r.name),
    ms: Math.round(performance.now() - started),
  };
}
