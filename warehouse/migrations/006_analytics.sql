-- Named analytics views for questions the business asks often. Revenue figures count delivered
-- orders only (as in the metric layer); days and months are Asia/Manila.

-- Monthly sales per category per province.
create view analytics_monthly_category_province_sales as
select date_trunc('month', order_day)::date as month_start,
       category,
       provincial_code,
       count(distinct order_id) as delivered_orders,
       sum(quantity) as units,
       sum(subtotal) as revenue,
       sum(subtotal) - sum(line_cost) as profit
  from fact_order_items
 where is_delivered
 group by 1, 2, 3;

-- Customers with two or more orders placed in the last 30 Manila days (today included).
create view analytics_top_repeat_customers_30d as
with recent as (
  select customer_id,
         count(*) as orders,
         count(*) filter (where is_delivered) as delivered_orders,
         coalesce(sum(order_total) filter (where is_delivered), 0) as revenue,
         max(order_date) as last_order_at
    from fact_orders
   where order_day > (now() at time zone 'Asia/Manila')::date - 30
     and customer_id is not null
   group by customer_id
  having count(*) >= 2
)
select r.customer_id,
       c.customer_name,
       c.provincial_code,
       r.orders,
       r.delivered_orders,
       r.revenue,
       r.last_order_at,
       rank() over (order by r.orders desc, r.revenue desc) as rank
  from recent r
  left join customers c on c.customer_id = r.customer_id;

-- Customers whose orders went to more than one province.
create view analytics_multi_province_customers as
select o.customer_id,
       c.customer_name,
       count(distinct o.provincial_code) as provinces,
       array_agg(distinct o.provincial_code order by o.provincial_code) as provincial_codes,
       count(*) as orders
  from fact_orders o
  left join customers c on c.customer_id = o.customer_id
 where o.customer_id is not null and o.provincial_code is not null
 group by o.customer_id, c.customer_name
having count(distinct o.provincial_code) > 1;

-- Product performance: units, revenue, average price actually paid, cost and margin.
create view analytics_product_performance as
select p.sku,
       p.product_name,
       p.category,
       p.list_price,
       p.unit_cost,
       coalesce(sum(i.quantity), 0) as units,
       coalesce(sum(i.subtotal), 0) as revenue,
       round(sum(i.subtotal) / nullif(sum(i.quantity), 0), 2) as avg_price_paid,
       round(avg(i.discount_percent), 2) as avg_discount_percent,
       coalesce(sum(i.line_cost), 0) as cogs,
       coalesce(sum(i.subtotal), 0) - coalesce(sum(i.line_cost), 0) as profit,
       round((sum(i.subtotal) - sum(i.line_cost)) / nullif(sum(i.subtotal), 0) * 100, 2) as margin_percent
  from dim_product p
  left join fact_order_items i on i.sku = p.sku and i.is_delivered
 group by p.sku, p.product_name, p.category, p.list_price, p.unit_cost;

-- The month's shape: orders and AOV by day of month, with how many calendar days of each number the
-- data spans (there are fewer 31sts than 1sts), so orders_per_day compares fairly.
create view analytics_day_of_month_profile as
with per_day as (
  select extract(day from day)::integer as day_of_month,
         count(*) as calendar_days,
         sum(orders) as orders,
         sum(delivered) as delivered,
         sum(revenue) as revenue
    from metric_orders
   group by 1
)
select day_of_month,
       calendar_days,
       orders,
       round(orders::numeric / calendar_days, 2) as orders_per_day,
       delivered,
       revenue,
       round(revenue / nullif(delivered, 0), 2) as aov
  from per_day;
