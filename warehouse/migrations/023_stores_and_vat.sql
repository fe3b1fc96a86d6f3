-- Stores and VAT (issue 15, schema 0.4.0) in the star schema: the store dimension and the tax-rate
-- table as reference data (loaded by `orderflow warehouse migrate` from reference/stores.ts and
-- reference/vat.ts, like products and locations), the channel, store, tender and VAT in the facts,
-- and three metric views for the dashboard's stores tab. Rows landed before 0.4.0 have a null
-- channel: they are online orders, and their VAT was not recorded (null, not zero).

create table stores (
  store_id        text primary key,
  name            text not null,
  street_address  text not null,
  lgu             text not null,
  provincial_code text not null,
  opens_hour      integer not null check (opens_hour between 0 and 23),
  closes_hour     integer not null check (closes_hour between 1 and 24 and closes_hour > opens_hour),
  weight          numeric(8, 2) not null check (weight >= 0)
);
comment on table stores is 'The shop''s physical stores (reference/stores.ts, loaded by orderflow warehouse migrate): address, LGU, province, local opening hours (opens inclusive, closes exclusive), share of store traffic.';

create table vat_rules (
  effective_from  date not null,
  provincial_code text not null,
  category        text not null,
  rate            numeric(5, 2) not null check (rate >= 0),
  source          text not null,
  primary key (effective_from, provincial_code, category)
);
comment on table vat_rules is 'The tax-rate table (reference/vat.ts VAT_RULES, loaded by orderflow warehouse migrate): a rate in percent in force from a local day for a province and a category (''*'' = any).';

create view dim_store as
select s.store_id,
       s.name as store_name,
       s.street_address,
       s.lgu,
       s.provincial_code,
       case when s.provincial_code = 'PH-00' then 'Metro Manila' else s.lgu end as province_name,
       l.tier,
       s.opens_hour,
       s.closes_hour,
       s.closes_hour - s.opens_hour as hours_open_per_day,
       s.weight
  from stores s
  left join locations l on l.lgu = s.lgu;
comment on view dim_store is 'One row per store (reference/stores.ts), with its province name and volume tier.';

-- The tax-rate table with validity: a rule holds from effective_from until the next rule of the same
-- province and category takes effect (valid_to, exclusive; null while open). specificity orders the
-- rules that apply to a sale: province and category (3) over category (2) over province (1) over '*'.
create view dim_vat_rate as
select effective_from,
       lead(effective_from) over (partition by provincial_code, category order by effective_from) as valid_to,
       provincial_code,
       category,
       rate,
       rate = 0 as is_exempt,
       (category <> '*')::int * 2 + (provincial_code <> '*')::int as specificity,
       source
  from vat_rules;
comment on view dim_vat_rate is 'vat_rules with each rule''s validity (valid_to = the next rule of the same province and category) and its specificity.';

-- The rate in force for a sale in `sale_province` of `sale_category` on local day `sale_day`: the most specific rule
-- in force, then the latest (reference/vat.ts VatTable.rateHundredths). Null when no rule applies.
create function vat_rate_in_force(sale_province text, sale_category text, sale_day date) returns numeric
language sql stable as $$
  select r.rate
    from vat_rules r
   where r.effective_from <= sale_day
     and r.provincial_code in ('*', sale_province)
     and r.category in ('*', sale_category)
   order by (r.category <> '*')::int * 2 + (r.provincial_code <> '*')::int desc, r.effective_from desc
   limit 1
$$;

-- fact_orders as in 007, with the channel (null before 0.4.0 = online), store, tender and VAT.
create or replace view fact_orders as
select o.order_id,
       o.order_date,
       (o.order_date at time zone 'Asia/Manila')::date as order_day,
       o.customer_id,
       (select c.customer_key
          from dim_customer c
         where c.customer_id = o.customer_id
           and c.valid_from <= o.order_date
           and o.order_date < c.valid_to
         order by c.valid_from desc
         limit 1) as customer_key,
       o.lgu,
       o.provincial_code,
       o.payment_method,
       o.payment_date,
       o.express_shipping,
       o.order_status,
       o.shipped_date,
       o.eta,
       o.finished_date,
       o.item_variety,
       o.order_total,
       o.order_status = 'DELIVERED' as is_delivered,
       o.failure_stage is not null as is_failed,
       o.failure_stage,
       o.failure_reason,
       extract(epoch from o.payment_date - o.order_date) / 3600 as hours_to_pay,
       extract(epoch from o.shipped_date - o.payment_date) / 3600 as hours_to_ship,
       case when o.order_status = 'DELIVERED'
            then extract(epoch from o.finished_date - o.shipped_date) / 3600 end as hours_to_deliver,
       case when o.order_status = 'DELIVERED'
            then o.finished_date <= o.eta + interval '24 hours' end as is_on_time,
       coalesce(o.channel, 'online') as channel,
       o.store_id,
       o.tender,
       o.vat_total,
       o.order_total - o.vat_total as net_total
  from orders o;

-- fact_order_items as in 019, with the order's channel and store and the line's VAT (net_subtotal:
-- the subtotal without the VAT it includes; null before 0.4.0).
create or replace view fact_order_items as
select i.item_id,
       i.order_id,
       i.order_date,
       (i.order_date at time zone 'Asia/Manila')::date as order_day,
       i.order_status,
       i.order_status = 'DELIVERED' as is_delivered,
       o.customer_id,
       o.lgu,
       o.provincial_code,
       i.sku,
       i.product_name,
       i.category,
       i.unit_price as list_price,
       i.quantity,
       i.discount_percent,
       i.subtotal,
       round(i.subtotal / nullif(i.quantity, 0), 2) as unit_price_paid,
       v.cost as unit_cost,
       i.quantity * v.cost as line_cost,
       i.subtotal - i.quantity * v.cost as line_profit,
       v.product_key,
       v.price as price_in_force,
       coalesce(o.channel, 'online') as channel,
       o.store_id,
       i.vat_rate,
       i.vat_amount,
       i.subtotal - i.vat_amount as net_subtotal
  from order_items i
  left join orders o on o.order_id = i.order_id
  left join dim_product v
    on v.sku = i.sku and i.order_date >= v.valid_from and (v.valid_to is null or i.order_date < v.valid_to);

-- The metric views read the landing tables directly (as metric_cart_funnel does): one hash join of
-- order_items to orders at most, no dim_product or dim_customer probes. Sales are delivered sales
-- (as revenue in metric_revenue_profit); days and months are Asia/Manila.

-- Tab: stores, per day, store and tender: store orders, units, sales (VAT-inclusive) and VAT.
create view metric_store_sales as
with lines as (
  select order_id, sum(quantity) as units
    from order_items
   where order_status = 'DELIVERED'
   group by order_id
)
select (o.order_date at time zone 'Asia/Manila')::date as day,
       o.store_id,
       s.store_name,
       s.lgu,
       s.provincial_code,
       s.province_name,
       o.tender,
       count(*) as orders,
       coalesce(sum(l.units), 0) as units,
       sum(o.order_total) as sales,
       sum(o.vat_total) as vat,
       sum(o.order_total) - sum(o.vat_total) as net_sales
  from orders o
  left join lines l on l.order_id = o.order_id
  left join dim_store s on s.store_id = o.store_id
 where o.channel = 'store' and o.order_status = 'DELIVERED'
 group by 1, o.store_id, s.store_name, s.lgu, s.provincial_code, s.province_name, o.tender;
comment on view metric_store_sales is 'Delivered store orders per Asia/Manila day, store and tender: orders, units, sales (VAT-inclusive), VAT and net sales.';

-- Tab: stores, VAT per month and channel: sales split into taxable (rate > 0) and exempt or
-- zero-rated (rate = 0), the VAT they include, and the sales of lines landed without VAT (before 0.4.0).
create view metric_vat_monthly as
select date_trunc('month', i.order_date at time zone 'Asia/Manila')::date as month,
       coalesce(o.channel, 'online') as channel,
       count(distinct i.order_id) as orders,
       sum(i.subtotal) as sales,
       coalesce(sum(i.subtotal) filter (where i.vat_rate > 0), 0) as taxable_sales,
       coalesce(sum(i.subtotal) filter (where i.vat_rate = 0), 0) as exempt_sales,
       coalesce(sum(i.subtotal) filter (where i.vat_rate is null), 0) as unrecorded_sales,
       coalesce(sum(i.vat_amount), 0) as vat,
       coalesce(sum(i.subtotal) filter (where i.vat_rate > 0), 0) - coalesce(sum(i.vat_amount), 0) as taxable_net_sales
  from order_items i
  join orders o on o.order_id = i.order_id
 where i.order_status = 'DELIVERED'
 group by 1, 2;
comment on view metric_vat_monthly is 'VAT collected on delivered sales per Asia/Manila month and channel: taxable, exempt (rate 0) and unrecorded (before schema 0.4.0) sales, and the VAT included.';

-- Tab: stores, sales by channel per day: landed and delivered orders, units, sales and VAT.
create view metric_channel_daily as
with lines as (
  select order_id, sum(quantity) as units
    from order_items
   where order_status = 'DELIVERED'
   group by order_id
)
select (o.order_date at time zone 'Asia/Manila')::date as day,
       coalesce(o.channel, 'online') as channel,
       count(*) as orders,
       count(*) filter (where o.order_status = 'DELIVERED') as delivered_orders,
       coalesce(sum(l.units), 0) as units,
       coalesce(sum(o.order_total) filter (where o.order_status = 'DELIVERED'), 0) as sales,
       coalesce(sum(o.vat_total) filter (where o.order_status = 'DELIVERED'), 0) as vat,
       round(sum(o.order_total) filter (where o.order_status = 'DELIVERED')
             / nullif(count(*) filter (where o.order_status = 'DELIVERED'), 0), 2) as aov
  from orders o
  left join lines l on l.order_id = o.order_id
 group by 1, 2;
comment on view metric_channel_daily is 'Orders per Asia/Manila day and channel (null channel = online, before 0.4.0): landed and delivered orders, delivered units, sales (VAT-inclusive), VAT and average order value.';
