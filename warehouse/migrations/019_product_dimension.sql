-- dim_product is the product dimension of type 2 on price and cost, built from the shop database's
-- change stream (issue 16), and the only product dimension: the one-row-per-SKU view over the code
-- catalogue (004) and its SCD2 twin dim_product_scd2 (014) are gone. Every reader moves to it:
-- fact_order_items (the cost in force at the order time), metric_items,
-- analytics_product_performance and metric_basket_pairs (the version in force now), the dashboard.
--
-- One row per version of a product: each landed shop_price_changes row (reference/price-schedule.ts,
-- streamed by CDC), and for a product the shop streamed without any price change, its landed
-- shop_products row as its only version. The first version holds from the start of time (the shop's
-- opening prices, as the generator prices orders before the schedule starts); each version ends when
-- the next takes effect; is_current marks the version in force now (exactly one per product).
-- product_key numbers the versions in (sku, effective_at) order.
--
-- The `products` reference table (loaded from reference/catalogue.ts by `warehouse migrate`) stays as
-- the catalogue `warehouse check` resolves sold SKUs against; no view reads prices, costs or names
-- from it any more.

drop view analytics_product_performance;
drop view metric_items;
drop view dim_product;

create view dim_product as
with versions as (
  select c.sku, c.price, c.cost, c.reason, c.effective_at
    from shop_price_changes c
  union all
  select p.sku, p.price, p.cost, 'current', p.updated_at
    from shop_products p
   where not exists (select 1 from shop_price_changes c where c.sku = p.sku)
), bounded as (
  select v.*,
         case when lag(v.effective_at) over w is null then '-infinity'::timestamptz else v.effective_at end
           as valid_from,
         lead(v.effective_at) over w as valid_to
    from versions v
  window w as (partition by v.sku order by v.effective_at)
)
select row_number() over (order by b.sku, b.effective_at) as product_key,
       b.sku,
       p.name as product_name,
       p.category,
       b.price,
       b.cost,
       b.price - b.cost as unit_margin,
       round((b.price - b.cost) / nullif(b.price, 0) * 100, 2) as margin_percent,
       b.reason as change_reason,
       b.effective_at,
       b.valid_from,
       b.valid_to,
       b.valid_from <= now() and (b.valid_to is null or b.valid_to > now()) as is_current
  from bounded b
  left join shop_products p using (sku);
comment on view dim_product is 'SCD type 2 on price and cost, from the shop''s change stream (shop_price_changes, shop_products): one row per version, valid_from (-infinity for the first) to valid_to (null while open), is_current.';

-- The order lines with the cost in force at the order time (the version the line falls in). No
-- code-side fallback: a line whose SKU has no landed version has no cost (warehouse check's
-- "order_items.sku has a product version" names it). Same columns as 014.
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
       v.price as price_in_force
  from order_items i
  left join orders o on o.order_id = i.order_id
  left join dim_product v
    on v.sku = i.sku and i.order_date >= v.valid_from and (v.valid_to is null or i.order_date < v.valid_to);

drop view dim_product_scd2;

-- Tab: items, one row per product (its version in force now) and any SKU sold without one.
create view metric_items as
with sold as (
  select sku,
         count(distinct order_id) as orders,
         sum(quantity) as units,
         sum(subtotal) as revenue,
         sum(line_cost) as cogs
    from fact_order_items
   where is_delivered
   group by sku
), current_product as (
  select * from dim_product where is_current
)
select coalesce(p.sku, s.sku) as sku,
       p.product_name,
       p.category,
       p.price as list_price,
       p.cost as unit_cost,
       coalesce(s.orders, 0) as orders,
       coalesce(s.units, 0) as units,
       coalesce(s.revenue, 0) as revenue,
       coalesce(s.cogs, 0) as cogs,
       coalesce(s.revenue, 0) - coalesce(s.cogs, 0) as profit,
       round((s.revenue - s.cogs) / nullif(s.revenue, 0) * 100, 2) as margin_percent,
       rank() over (order by coalesce(s.revenue, 0) desc) as revenue_rank,
       rank() over (order by coalesce(s.units, 0) desc) as units_rank
  from current_product p
  full join sold s on s.sku = p.sku;

-- Product performance: units, revenue, average price actually paid, cost (in force at each line's
-- order time) and margin, per product; list_price and unit_cost are the version in force now.
create view analytics_product_performance as
select p.sku,
       p.product_name,
       p.category,
       p.price as list_price,
       p.cost as unit_cost,
       coalesce(sum(i.quantity), 0) as units,
       coalesce(sum(i.subtotal), 0) as revenue,
       round(sum(i.subtotal) / nullif(sum(i.quantity), 0), 2) as avg_price_paid,
       round(avg(i.discount_percent), 2) as avg_discount_percent,
       coalesce(sum(i.line_cost), 0) as cogs,
       coalesce(sum(i.subtotal), 0) - coalesce(sum(i.line_cost), 0) as profit,
       round((sum(i.subtotal) - sum(i.line_cost)) / nullif(sum(i.subtotal), 0) * 100, 2) as margin_percent
  from dim_product p
  left join fact_order_items i on i.sku = p.sku and i.is_delivered
 where p.is_current
 group by p.sku, p.product_name, p.category, p.price, p.cost;

-- metric_basket_pairs as in 007, with the products' names from dim_product (version in force now).
create or replace view metric_basket_pairs as
with baskets as materialized (
  select order_id, array_agg(distinct sku) as skus
    from order_items
   where order_id is not null and sku is not null
   group by order_id
), total as materialized (
  select count(*)::numeric as orders from baskets
), single as materialized (
  select s.sku, count(*)::numeric as orders
    from baskets, unnest(skus) as s (sku)
   group by s.sku
), pairs as (
  select a.sku as sku_a, b.sku as sku_b, count(*)::numeric as orders_together
    from baskets, unnest(skus) as a (sku), unnest(skus) as b (sku)
   where a.sku < b.sku
   group by a.sku, b.sku
), current_product as (
  select sku, product_name from dim_product where is_current
)
select p.sku_a,
       pa.product_name as product_a,
       p.sku_b,
       pb.product_name as product_b,
       p.orders_together::bigint as orders_together,
       round(p.orders_together / t.orders, 6) as support,
       round(p.orders_together / sa.orders, 6) as confidence_a_to_b,
       round(p.orders_together / sb.orders, 6) as confidence_b_to_a,
       round(p.orders_together * t.orders / (sa.orders * sb.orders), 4) as lift
  from pairs p
 cross join total t
  join single sa on sa.sku = p.sku_a
  join single sb on sb.sku = p.sku_b
  left join current_product pa on pa.sku = p.sku_a
  left join current_product pb on pb.sku = p.sku_b;
