-- The metric layer: one view per dashboard tab (plus a few rollups the tabs need). Definitions are
-- in docs/metrics.md next to each view's name. All days are Asia/Manila days of order_date.
-- Revenue = sum of subtotals of DELIVERED orders; COGS = quantity x catalogue unit cost of those
-- lines; profit = revenue - COGS; AOV = revenue / delivered orders.

-- Every Manila day from the first to the last order day, so charts have no holes.
-- (min/max straight from the landing table's order_date index.)
create view order_days as
select d::date as day
  from (select (min(order_date) at time zone 'Asia/Manila')::date as lo,
               (max(order_date) at time zone 'Asia/Manila')::date as hi
          from orders) b,
       generate_series(b.lo, b.hi, interval '1 day') d;

-- Tab: revenue & profit (day grain; month/quarter/year and day-of-month group from it).
create view metric_revenue_profit as
with sales as (
  select order_day,
         count(distinct order_id) as delivered_orders,
         sum(quantity) as units,
         sum(subtotal) as revenue,
         sum(line_cost) as cogs
    from fact_order_items
   where is_delivered
   group by order_day
)
select d.day,
       extract(year from d.day)::integer as year,
       date_trunc('quarter', d.day)::date as quarter_start,
       date_trunc('month', d.day)::date as month_start,
       extract(day from d.day)::integer as day_of_month,
       coalesce(c.is_payday, false) as is_payday,
       coalesce(c.is_month_end, false) as is_month_end,
       coalesce(c.is_holiday, false) as is_holiday,
       coalesce(s.delivered_orders, 0) as delivered_orders,
       coalesce(s.units, 0) as units,
       coalesce(s.revenue, 0) as revenue,
       coalesce(s.cogs, 0) as cogs,
       coalesce(s.revenue, 0) - coalesce(s.cogs, 0) as profit,
       round((s.revenue - s.cogs) / nullif(s.revenue, 0) * 100, 2) as gross_margin_percent
  from order_days d
  left join sales s on s.order_day = d.day
  left join dim_date c on c.date_day = d.day;

-- Tab: revenue & profit tiles: month, quarter and year totals with the change from the period before.
create view metric_revenue_profit_periods as
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

-- Tab: orders (day grain). Orders are counted on the day they were placed, whatever their outcome.
create view metric_orders as
with per_day as (
  select order_day,
         count(*) as orders,
         count(*) filter (where order_status = 'DELIVERED') as delivered,
         count(*) filter (where order_status = 'CANCELLED') as cancelled,
         count(*) filter (where order_status = 'RETURNED') as returned,
         count(*) filter (where order_status = 'TIMED_OUT') as timed_out,
         count(*) filter (where is_failed) as failed,
         sum(order_total) filter (where is_delivered) as delivered_total,
         sum(item_variety) as lines
    from fact_orders
   group by order_day
)
select d.day,
       extract(day from d.day)::integer as day_of_month,
       date_trunc('month', d.day)::date as month_start,
       coalesce(p.orders, 0) as orders,
       coalesce(p.delivered, 0) as delivered,
       coalesce(p.cancelled, 0) as cancelled,
       coalesce(p.returned, 0) as returned,
       coalesce(p.timed_out, 0) as timed_out,
       coalesce(p.failed, 0) as failed,
       coalesce(p.delivered_total, 0) as revenue,
       round(p.delivered_total / nullif(p.delivered, 0), 2) as aov,
       round(p.lines::numeric / nullif(p.orders, 0), 2) as lines_per_order
  from order_days d
  left join per_day p on p.order_day = d.day;

-- Tab: customers, one row per customer who placed an order.
create view metric_customers as
with per_customer as (
  select customer_id,
         count(*) as orders,
         count(*) filter (where is_delivered) as delivered_orders,
         coalesce(sum(order_total) filter (where is_delivered), 0) as revenue,
         min(order_date) as first_order_at,
         max(order_date) as last_order_at
    from fact_orders
   where customer_id is not null
   group by customer_id
)
select p.customer_id,
       c.customer_name,
       c.company,
       c.email,
       c.lgu,
       c.provincial_code,
       p.orders,
       p.delivered_orders,
       p.revenue,
       p.orders >= 2 as is_repeat,
       p.first_order_at,
       p.last_order_at,
       (p.first_order_at at time zone 'Asia/Manila')::date as first_order_day,
       date_trunc('month', p.first_order_at at time zone 'Asia/Manila')::date as first_order_month,
       rank() over (order by p.revenue desc) as revenue_rank
  from per_customer p
  left join customers c on c.customer_id = p.customer_id;

-- Tab: customers, the headline tiles (one row).
create view metric_customers_summary as
with totals as (
  select count(*) as customers,
         count(*) filter (where is_repeat) as repeat_customers,
         sum(revenue) as revenue,
         coalesce(sum(revenue) filter (where is_repeat), 0) as repeat_revenue
    from metric_customers
), top10 as (
  select coalesce(sum(revenue), 0) as top10_revenue
    from (select revenue from metric_customers order by revenue desc, customer_id limit 10) t
)
select customers,
       repeat_customers,
       round(repeat_customers::numeric / nullif(customers, 0), 4) as repeat_rate,
       revenue,
       round(repeat_revenue / nullif(revenue, 0), 4) as repeat_revenue_share,
       round(top10_revenue / nullif(revenue, 0), 4) as top10_revenue_share
  from totals, top10;

-- Tab: customers, new customers per month (by the Manila month of their first order).
create view metric_new_customers_monthly as
select first_order_month as month_start,
       count(*) as new_customers,
       count(*) filter (where is_repeat) as became_repeat
  from metric_customers
 group by first_order_month;

-- Tab: items, one row per catalogue SKU (and any SKU sold but missing from the catalogue).
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
)
select coalesce(p.sku, s.sku) as sku,
       p.product_name,
       p.category,
       p.list_price,
       p.unit_cost,
       coalesce(s.orders, 0) as orders,
       coalesce(s.units, 0) as units,
       coalesce(s.revenue, 0) as revenue,
       coalesce(s.cogs, 0) as cogs,
       coalesce(s.revenue, 0) - coalesce(s.cogs, 0) as profit,
       round((s.revenue - s.cogs) / nullif(s.revenue, 0) * 100, 2) as margin_percent,
       rank() over (order by coalesce(s.revenue, 0) desc) as revenue_rank,
       rank() over (order by coalesce(s.units, 0) desc) as units_rank
  from dim_product p
  full join sold s on s.sku = p.sku;

-- Tab: items, market-basket pairs over every landed order (a basket says what was bought together,
-- whatever happened to the delivery). support = P(A and B); confidence A->B = P(B | A);
-- lift = support / (P(A) x P(B)).
create view metric_basket_pairs as
with baskets as (
  select distinct order_id, sku from order_items where order_id is not null and sku is not null
), total as (
  select count(distinct order_id)::numeric as orders from baskets
), single as (
  select sku, count(*)::numeric as orders from baskets group by sku
), pairs as (
  select a.sku as sku_a, b.sku as sku_b, count(*)::numeric as orders_together
    from baskets a
    join baskets b on b.order_id = a.order_id and a.sku < b.sku
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

-- Tab: payment & delivery (day grain of order_date). Hours are averages over the orders that
-- reached that step; on-time = delivered with finished_date <= eta + 24 h.
create view metric_payment_delivery as
with per_day as (
  select order_day,
         count(*) as orders,
         count(payment_date) as paid,
         count(*) filter (where payment_method = 'CREDIT_CARD') as credit_card,
         count(*) filter (where payment_method = 'BANK_TRANSFER') as bank_transfer,
         count(*) filter (where payment_method = 'DIGITAL_WALLET') as digital_wallet,
         count(*) filter (where express_shipping) as express,
         count(*) filter (where not express_shipping) as standard,
         count(shipped_date) as shipped,
         count(*) filter (where is_delivered) as delivered,
         count(*) filter (where is_on_time) as delivered_on_time,
         avg(hours_to_pay) as avg_hours_to_pay,
         avg(hours_to_ship) as avg_hours_to_ship,
         avg(hours_to_deliver) as avg_hours_to_deliver
    from fact_orders
   group by order_day
)
select d.day,
       date_trunc('month', d.day)::date as month_start,
       coalesce(p.orders, 0) as orders,
       coalesce(p.paid, 0) as paid,
       coalesce(p.credit_card, 0) as credit_card,
       coalesce(p.bank_transfer, 0) as bank_transfer,
       coalesce(p.digital_wallet, 0) as digital_wallet,
       coalesce(p.express, 0) as express,
       coalesce(p.standard, 0) as standard,
       coalesce(p.shipped, 0) as shipped,
       coalesce(p.delivered, 0) as delivered,
       coalesce(p.delivered_on_time, 0) as delivered_on_time,
       round(p.delivered_on_time::numeric / nullif(p.delivered, 0), 4) as on_time_rate,
       round(p.avg_hours_to_pay, 2) as avg_hours_to_pay,
       round(p.avg_hours_to_ship, 2) as avg_hours_to_ship,
       round(p.avg_hours_to_deliver, 2) as avg_hours_to_deliver
  from order_days d
  left join per_day p on p.order_day = d.day;

-- Tab: payment & delivery, the failure funnel: per stage, how many orders entered it and how many
-- failed there, split by reason (failure_reason null = the stage's total row).
create view metric_failure_funnel as
with entered as (
  select count(*) as payment,
         count(payment_date) as shipping,
         count(shipped_date) as delivery
    from orders
), failed as (
  select failure_stage, failure_reason, count(*) as failed
    from orders
   where failure_stage is not null
   group by grouping sets ((failure_stage), (failure_stage, failure_reason))
)
select s.stage,
       s.stage_order,
       f.failure_reason,
       s.entered,
       coalesce(f.failed, 0) as failed,
       round(coalesce(f.failed, 0)::numeric / nullif(s.entered, 0), 4) as failure_rate
  from (select 'payment' as stage, 1 as stage_order, payment as entered from entered
        union all select 'shipping', 2, shipping from entered
        union all select 'delivery', 3, delivery from entered) s
  left join failed f on f.failure_stage = s.stage;

-- Tab: location, one row per province (Metro Manila's 17 cities are one province, PH-00).
create view metric_location as
with per_province as (
  select provincial_code,
         count(*) as orders,
         count(*) filter (where is_delivered) as delivered_orders,
         count(distinct customer_id) as customers,
         coalesce(sum(order_total) filter (where is_delivered), 0) as revenue
    from fact_orders
   where provincial_code is not null
   group by provincial_code
), names as (
  select provincial_code, min(province_name) as province_name, min(tier) as tier, count(*) as lgus
    from dim_location
   group by provincial_code
)
select p.provincial_code,
       n.province_name,
       n.tier,
       p.orders,
       p.delivered_orders,
       p.customers,
       p.revenue,
       round(p.revenue / nullif(p.delivered_orders, 0), 2) as aov,
       round(p.revenue / nullif(sum(p.revenue) over (), 0), 4) as revenue_share
  from per_province p
  left join names n on n.provincial_code = p.provincial_code;
