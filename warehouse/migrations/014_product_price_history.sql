-- Prices and costs over time, from the shop database's change stream (no code-side copy): the CDC
-- sink lands shop.price_changes (reference/price-schedule.ts, written by `orderflow shop migrate`)
-- as shop_price_changes, and dim_product_scd2 makes it a slowly changing dimension of type 2.
create table shop_price_changes (
  sku integer not null,
  effective_at timestamptz not null,
  price numeric(12, 2) not null,
  cost numeric(12, 2) not null,
  reason text not null,
  landed_at timestamptz,
  primary key (sku, effective_at)
);
create trigger shop_price_changes_landed before insert or update on shop_price_changes
  for each row execute function shop_landed();

-- One row per version of a product's price and cost. The first version holds from the start of time
-- (the shop's opening prices, as the generator prices orders before the schedule starts); each
-- version ends when the next takes effect; is_current marks the version in force now.
create view dim_product_scd2 as
select row_number() over (order by c.sku, c.effective_at) as product_key,
       c.sku,
       p.name as product_name,
       p.category,
       c.price,
       c.cost,
       c.price - c.cost as unit_margin,
       round((c.price - c.cost) / nullif(c.price, 0) * 100, 2) as margin_percent,
       c.reason as change_reason,
       c.effective_at,
       case when lag(c.effective_at) over w is null then '-infinity'::timestamptz else c.effective_at end
         as valid_from,
       lead(c.effective_at) over w as valid_to,
       c.effective_at <= now() and coalesce(lead(c.effective_at) over w > now(), true) as is_current
  from shop_price_changes c
  left join shop_products p using (sku)
window w as (partition by c.sku order by c.effective_at);

-- The order lines with the cost in force at the order time (the SCD2 version the line falls in), so
-- line cost, profit and every margin built on them follow cost increases; the catalogue's cost where
-- no price history has landed (a warehouse without the shop's CDC). Same columns as before, plus the
-- version's key and the price in force.
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
       coalesce(v.cost, p.cost) as unit_cost,
       i.quantity * coalesce(v.cost, p.cost) as line_cost,
       i.subtotal - i.quantity * coalesce(v.cost, p.cost) as line_profit,
       v.product_key,
       v.price as price_in_force
  from order_items i
  left join orders o on o.order_id = i.order_id
  left join products p on p.sku = i.sku
  left join dim_product_scd2 v
    on v.sku = i.sku and i.order_date >= v.valid_from and (v.valid_to is null or i.order_date < v.valid_to);
