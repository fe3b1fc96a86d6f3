-- Faster definitions of four views, same columns (measured at 15,000 orders over two years; see
-- docs/metrics.md). Earlier migrations stay as applied; these replace the views in place.

-- fact_orders: customer_key becomes a scalar subquery (one index probe per order) instead of a range
-- join, so the metric views that never ask for it skip dim_customer entirely (metric_orders went from
-- ~69 ms to ~12 ms), and an order can never be counted twice. `warehouse check` asserts separately
-- that every order matches exactly one version.
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
            then o.finished_date <= o.eta + interval '24 hours' end as is_on_time
  from orders o;

-- order_days: min/max straight from the landing table's order_date index (~40 ms to ~0.2 ms).
create or replace view order_days as
select d::date as day
  from (select (min(order_date) at time zone 'Asia/Manila')::date as lo,
               (max(order_date) at time zone 'Asia/Manila')::date as hi
          from orders) b,
       generate_series(b.lo, b.hi, interval '1 day') d;

-- metric_revenue_profit_periods: read the daily view once, not once per grain.
create or replace view metric_revenue_profit_periods as
with daily as materialized (
  select * from metric_revenue_profit
), periods as (
  select 'month' as grain, month_start as period_start, sum(delivered_orders) as delivered_orders,
         sum(revenue) as revenue, sum(cogs) as cogs, sum(profit) as profit
    from daily group by month_start
  union all
  select 'quarter', quarter_start, sum(delivered_orders), sum(revenue), sum(cogs), sum(profit)
    from daily group by quarter_start
  union all
  select 'year', make_date(year, 1, 1), sum(delivered_orders), sum(revenue), sum(cogs), sum(profit)
    from daily group by year
)
select grain,
       period_start,
       delivered_orders,
       revenue,
       cogs,
       profit,
       round(profit / nullif(revenue, 0) * 100, 2) as gross_margin_percent,
       lag(revenue) over w as previous_revenue,
       round((revenue / nullif(lag(revenue) over w, 0) - 1) * 100, 2) as revenue_change_percent,
       lag(profit) over w as previous_profit,
       round((profit / nullif(lag(profit) over w, 0) - 1) * 100, 2) as profit_change_percent
  from periods
window w as (partition by grain order by period_start);

-- metric_basket_pairs: baskets as arrays, unnested twice, instead of a self-join of order_items on
-- order_id; the per-order totals are computed once (~230 ms to ~100 ms).
create or replace view metric_basket_pairs as
with baskets as materialized (
  -- One array of distinct SKUs per order: unnesting it twice is several times faster than a
  -- self-join of order_items on order_id (measured: 63 ms against 157 ms at 15k orders).
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
)
select p.sku_a,
       pa.name as product_a,
       p.sku_b,
       pb.name as product_b,
       p.orders_together::bigint as orders_together,
       round(p.orders_together / t.orders, 6) as support,
       round(p.orders_together / sa.orders, 6) as confidence_a_to_b,
       round(p.orders_together / sb.orders, 6) as confidence_b_to_a,
       round(p.orders_together * t.orders / (sa.orders * sb.orders), 4) as lift
  from pairs p
 cross join total t
  join single sa on sa.sku = p.sku_a
  join single sb on sb.sku = p.sku_b
  left join products pa on pa.sku = p.sku_a
  left join products pb on pb.sku = p.sku_b;
