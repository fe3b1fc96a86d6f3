import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { loadSettings } from '../../../common/config.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { readGeneratorReferenceData } from '../../../warehouse/reference-data.ts';
import { refreshWarehouse } from '../../../warehouse/refresh.ts';
import { sampleData, type SampleData } from '../../../warehouse/sample-data.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { warehouseSettings } from '../../../warehouse/settings.ts';

export const databaseUrl = loadSettings(warehouseSettings).databaseUrl;

export interface SeededWarehouse {
  schema: string;
  client: pg.Client;
  data: SampleData | null;
  drop: () => Promise<void>;
}

/**
 * A throw-away, migrated warehouse schema; with `orders` > 0 it holds seeded landing rows (the
 * warehouse's sample data over the generator's real catalogue and 99 locations) spanning `days`.
 */
export async function seededWarehouse(
  label: string,
  options: { orders: number; days?: number; seed?: number } = { orders: 3000 },
): Promise<SeededWarehouse> {
  const schema = `dash_${label}_${randomBytes(4).toString('hex')}`;
  await migrate(databaseUrl, schema);
  const client = await connectWarehouse(databaseUrl, schema);
  let data: SampleData | null = null;
  if (options.orders > 0) {
    const reference = await readGeneratorReferenceData();
    data = sampleData({
      seed: options.seed ?? 20260314,
      orders: options.orders,
      start: Date.UTC(2024, 10, 1, 3),
      days: options.days ?? 730,
      customers: Math.round(options.orders / 3),
      ...(reference.products ? { products: reference.products } : {}),
      ...(reference.locations ? { locations: reference.locations } : {}),
    });
    await loadSample(client, data);
    await refreshWarehouse(client);
    await client.query(SUPPORT_TICKETS_SQL);
    await client.query('analyze');
  }
  return {
    schema,
    client,
    data,
    drop: async () => {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

/**
 * Support tickets for the sample orders, as the loader would have loaded them (support/loader.ts): a
 * ticket for every failed order and every delivery after its ETA, plus an inquiry for one order in
 * 25; a tenth stay open and are closed by the 7-day rule, the rest resolved within 1-72 hours.
 */
const SUPPORT_TICKETS_SQL = `
  insert into dim_support_ticket (ticket_id, order_id, customer_name, email, phone, category, description,
                                  created_at, status, resolved_at, closed_at, auto_closed, first_report_day, last_report_day)
  select 'TKT-' || upper(substr(md5(order_id), 1, 10)),
         case when inquiry then null else order_id end,
         'Customer', 'customer@example.ph', '+63 917 555 0101',
         case when inquiry then 'Product Inquiry' when order_status = 'TIMED_OUT' then 'Billing'
              when order_status in ('CANCELLED', 'RETURNED') then 'Returns and Refunds' else 'Shipping' end,
         case when inquiry then 'Asked about sizes' else 'Order ' || order_id || ': seeded ticket' end,
         created,
         case when h % 10 = 0 then 'Closed' else 'Resolved' end,
         case when h % 10 = 0 then null else created + (1 + h % 72) * interval '1 hour' end,
         case when h % 10 = 0 then created + interval '7 days' end,
         h % 10 = 0,
         (created at time zone 'Asia/Manila')::date, (created at time zone 'Asia/Manila')::date
    from (select order_id, order_status, abs(hashtext(order_id)) as h,
                 not (failure_stage is not null or finished_date > eta) as inquiry,
                 coalesce(failed_at, finished_date, order_date) + interval '3 hours' as created
            from orders
           where failure_stage is not null or finished_date > eta or abs(hashtext(order_id)) % 25 = 0) o;
  insert into fact_support_ticket_event (ticket_id, event, event_at, report_day, category)
  select ticket_id, 'opened', created_at, first_report_day, category from dim_support_ticket
  union all
  select ticket_id, 'resolved', resolved_at, first_report_day, category from dim_support_ticket where resolved_at is not null
  union all
  select ticket_id, 'auto_closed', closed_at, first_report_day, category from dim_support_ticket where auto_closed;
  insert into support_report_load (report_day, file_name, status)
  select distinct first_report_day, 'customer_support_data_' || first_report_day || '.csv', 'loaded' from dim_support_ticket;`;
