import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { loadSettings } from '../../../common/config.ts';
import { connectWarehouse } from '../../../common/database.ts';
import { shopPriceChanges } from '../../../common/shop-seed.ts';
import { migrate } from '../../../warehouse/migrate.ts';
import { readGeneratorReferenceData } from '../../../warehouse/reference-data.ts';
import { refreshWarehouse } from '../../../warehouse/refresh.ts';
import { sampleData, type SampleData } from '../../../warehouse/sample-data.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { warehouseSettings } from '../../../warehouse/settings.ts';
import { SEED_CARTS_SQL } from './seeded-carts.ts';

export const databaseUrl = loadSettings(warehouseSettings).databaseUrl;

export interface SeededWarehouse {
  schema: string;
  client: pg.Client;
  data: SampleData | null;
  drop: () => Promise<void>;
}

/**
 * A throw-away, migrated warehouse schema; with `orders` > 0 it holds seeded landing rows (the
 * warehouse's sample data over the generator's real catalogue and 99 locations) spanning `days`,
 * with `storeShare` that share of the orders placed in opening hours sold at a store's till, and
 * with `carts` the storefront carts the online orders checked out (seeded-carts.ts).
 */
export async function seededWarehouse(
  label: string,
  options: { orders: number; days?: number; seed?: number; carts?: boolean; storeShare?: number } = {
    orders: 3000,
  },
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
      ...(options.storeShare ? { storeShare: options.storeShare } : {}),
      ...(reference.products ? { products: reference.products } : {}),
      ...(reference.locations ? { locations: reference.locations } : {}),
    });
    // The shop's tables (products stocked, their price schedule) are landed below, as its CDC would.
    await loadSample(client, data, { shopCatalogue: false });
    await refreshWarehouse(client);
    await client.query(SUPPORT_TICKETS_SQL);
    await client.query(SHOP_STOCK_SQL);
    // The shop's price schedule as its change stream lands it (migration 014), for the products
    // stocked. The sample's order lines stay at list price: this seed is for the dashboard, not for
    // `warehouse check`'s price-in-force assertion.
    await client.query(
      `insert into shop_price_changes (sku, effective_at, price, cost, reason)
       select sku, effective_at, price, cost, reason from jsonb_populate_recordset(null::shop_price_changes, $1::jsonb)
        where sku in (select sku from shop_products)`,
      [JSON.stringify(shopPriceChanges(options.seed ?? 20260314))],
    );
    if (options.carts) await client.query(SEED_CARTS_SQL);
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
 * 25; a tenth stay open and are closed by the 7-day rule, the rest resolved within 1-72 hours; the
 * first report has two lines dead-lettered.
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
  select distinct first_report_day, 'customer_support_data_' || first_report_day || '.csv', 'loaded' from dim_support_ticket;
  insert into support_dead_letter (file_name, line, report_day, field, reason, raw)
  select 'customer_support_data_' || d || '.csv', x.line, d, x.field, x.reason, x.raw
    from (select min(first_report_day) as d from dim_support_ticket) m,
         (values (4, 'Issue Category', 'line 4: Issue Category "Warranty" is not one of the categories', 'TKT-0A,...,Warranty,...'),
                 (9, 'field count', 'line 9: 3 fields, expected 9', 'TKT-01,only,three')) as x (line, field, reason, raw);
  update support_report_load set dead_letters = 2 where report_day = (select min(report_day) from support_report_load);`;

/**
 * The shop's stock as its change stream would have landed it (migrations 011, 012), following the
 * stock service's rules (stock/movement.ts) over the sample orders: a paid order reserves its lines
 * at the central warehouse, a delivered one consumes them, a returned one is consumed and comes back,
 * one cancelled after payment releases them; one line in 15 of some SKUs is backordered instead. Each
 * SKU is restocked every 120 days after a 5-10 day lead time; a fifth of the SKUs end below their
 * reorder point, each with an open restock.
 */
const SHOP_STOCK_SQL = `
  insert into shop_locations (location_id, name, kind, provincial_code)
  values ('central', 'Central Warehouse, Valenzuela', 'warehouse', 'PH-00');
  insert into shop_products (sku, name, category, price, cost, reorder_point, reorder_quantity, lead_time_days, updated_at)
  select sku, name, category, price, cost, 30, 25, 5 + sku % 6, now()
    from products where sku in (select distinct sku from order_items);
  create temporary table seeded_moves on commit drop as
  with lines as (
    select o.order_id, o.payment_date, o.finished_date, o.order_status, i.sku, i.quantity,
           i.sku % 7 = 0 and abs(hashtext(o.order_id || i.sku)) % 15 = 0 as short
      from orders o join order_items i using (order_id)
     where o.payment_date is not null and i.sku in (select sku from shop_products)
  ), restock_days as (
    select p.sku, p.lead_time_days, p.reorder_quantity, g.n,
           (select min(order_date) from orders) + (g.n * 120 + p.sku % 20) * interval '1 day' as ordered_at
      from shop_products p, generate_series(0, 6) as g (n)
  )
  select sku, 'reserve' as kind, quantity, payment_date as event_time, order_id, null::text as restock_id from lines where not short
  union all select sku, 'backorder', quantity, payment_date, order_id, null from lines where short
  union all select sku, 'consume', quantity, finished_date, order_id, null from lines
   where not short and order_status in ('DELIVERED', 'RETURNED')
  union all select sku, 'return', quantity, finished_date + interval '2 days', order_id, null from lines
   where not short and order_status = 'RETURNED'
  union all select sku, 'release', quantity, finished_date, order_id, null from lines
   where not short and order_status = 'CANCELLED'
  union all select sku, 'restock', reorder_quantity, ordered_at + lead_time_days * interval '1 day', null,
                   sku || '-central-' || (n + 1)
    from restock_days where ordered_at + lead_time_days * interval '1 day' <= (select max(order_date) from orders);
  insert into shop_stock_movements (movement_id, sku, location_id, kind, quantity, event_time, order_id, restock_id)
  select row_number() over (order by event_time, kind, order_id, sku), sku, 'central', kind, quantity, event_time,
         order_id, restock_id
    from seeded_moves;
  insert into shop_restocks (restock_id, sku, location_id, quantity, status, ordered_at, expected_at, received_at)
  select m.restock_id, m.sku, 'central', m.quantity, 'received', m.event_time - p.lead_time_days * interval '1 day',
         m.event_time, m.event_time
    from seeded_moves m join shop_products p using (sku) where m.kind = 'restock';
  insert into shop_stock (sku, location_id, on_hand, reserved, backordered, updated_at)
  select p.sku, 'central',
         greatest(coalesce(sum(f.reserved_change), 0), 0)
           + case when p.sku % 5 = 0 then p.sku % 25 else 40 + p.sku % 200 end,
         greatest(coalesce(sum(f.reserved_change), 0), 0), coalesce(sum(f.backordered_units), 0), now()
    from shop_products p left join fact_stock_movement f using (sku)
   group by p.sku;
  insert into shop_restocks (restock_id, sku, location_id, quantity, status, ordered_at, expected_at)
  select s.sku || '-central-open', s.sku, 'central', p.reorder_quantity, 'ordered',
         (select max(order_date) from orders) - interval '2 days',
         (select max(order_date) from orders) + (p.lead_time_days - 2) * interval '1 day'
    from shop_stock s join shop_products p using (sku) where s.on_hand - s.reserved < p.reorder_point;`;
