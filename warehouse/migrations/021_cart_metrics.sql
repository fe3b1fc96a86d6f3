-- Cart metrics (issue 15, docs/metrics.md): the storefront funnel and add-to-cart interest. Days are
-- Asia/Manila days; a cart belongs to the day it was created (a cohort: its checkout, payment and
-- delivery count for that day even when they happen later). Orders count once landed, that is when
-- finished or failed, so the newest days' paid and delivered figures still grow.

-- The funnel per day: visits -> carts -> checkouts -> paid -> delivered, the conversion of each step
-- (share of the step before) and its abandonment (1 - conversion). cart_abandonment_rate is the
-- Baymard definition: carts not checked out of the carts that have ended (open carts left out).
-- payment_completion_rate = paid / checked-out carts whose order has landed.
create view metric_cart_funnel as
with carts as (
  select created_day as day,
         sum(visits) as visits,
         count(*) as carts,
         count(*) filter (where status = 'checked_out') as checkouts,
         count(*) filter (where status = 'abandoned') as abandoned,
         count(*) filter (where status = 'open') as open_carts
    from dim_cart_status
   group by created_day
), ordered as (
  select c.created_day as day,
         count(*) as landed_orders,
         count(*) filter (where o.payment_date is not null) as paid,
         count(*) filter (where o.order_status = 'DELIVERED') as delivered
    from dim_cart c
    join orders o on o.order_id = c.order_id and o.cart_id = c.cart_id
   group by c.created_day
)
select c.day,
       c.visits,
       c.carts,
       c.checkouts,
       coalesce(o.paid, 0) as paid,
       coalesce(o.delivered, 0) as delivered,
       c.abandoned,
       c.open_carts,
       coalesce(o.landed_orders, 0) as landed_orders,
       round(c.carts::numeric / nullif(c.visits, 0), 4) as visit_to_cart_rate,
       round(c.checkouts::numeric / nullif(c.carts, 0), 4) as cart_to_checkout_rate,
       round(o.paid::numeric / nullif(o.landed_orders, 0), 4) as checkout_to_paid_rate,
       round(o.delivered::numeric / nullif(o.paid, 0), 4) as paid_to_delivered_rate,
       round(1 - c.carts::numeric / nullif(c.visits, 0), 4) as visit_abandonment_rate,
       round(c.abandoned::numeric / nullif(c.carts - c.open_carts, 0), 4) as cart_abandonment_rate,
       round(1 - o.paid::numeric / nullif(o.landed_orders, 0), 4) as checkout_abandonment_rate,
       round(o.paid::numeric / nullif(o.landed_orders, 0), 4) as payment_completion_rate,
       round(o.delivered::numeric / nullif(c.visits, 0), 6) as visit_to_delivered_rate
  from carts c
  left join ordered o on o.day = c.day;

-- Add-to-cart interest per product and day: how often it was put in a cart, after how many views,
-- how often taken out again, and how often it was in a cart that was checked out.
create view metric_cart_interest as
select a.event_day as day,
       a.sku,
       a.product_name,
       a.category,
       count(*) filter (where a.event_type in ('CREATE_CART', 'ADD_TO_CART')) as adds,
       coalesce(sum(a.view_count) filter (where a.event_type in ('CREATE_CART', 'ADD_TO_CART')), 0) as views_before_add,
       count(*) filter (where a.event_type = 'REMOVE_FROM_CART') as removals,
       count(*) filter (where a.event_type in ('CREATE_CART', 'ADD_TO_CART') and c.checked_out_at is not null) as adds_checked_out,
       round(count(*) filter (where a.event_type in ('CREATE_CART', 'ADD_TO_CART'))::numeric
             / nullif(sum(a.view_count) filter (where a.event_type in ('CREATE_CART', 'ADD_TO_CART')), 0), 4) as add_per_view
  from fact_cart_activity a
  join dim_cart c on c.cart_id = a.cart_id
 where a.sku is not null
 group by a.event_day, a.sku, a.product_name, a.category;

-- "Trending": adds per product over the last 7 landed days against the 7 days before.
create view metric_cart_trending as
with bounds as (
  select max(event_day) as last_day from fact_cart_activity
), weeks as (
  select i.sku, i.product_name, i.category,
         sum(i.adds) filter (where i.day > b.last_day - 7) as adds_last_7_days,
         sum(i.adds) filter (where i.day <= b.last_day - 7 and i.day > b.last_day - 14) as adds_previous_7_days
    from metric_cart_interest i, bounds b
   where i.day > b.last_day - 14
   group by i.sku, i.product_name, i.category
)
select sku, product_name, category,
       coalesce(adds_last_7_days, 0) as adds_last_7_days,
       coalesce(adds_previous_7_days, 0) as adds_previous_7_days,
       round((coalesce(adds_last_7_days, 0) - coalesce(adds_previous_7_days, 0))::numeric
             / nullif(adds_previous_7_days, 0), 4) as change,
       rank() over (order by coalesce(adds_last_7_days, 0) desc) as rank
  from weeks;

-- Dead-lettered cart events per day (of the event's own time) and reason (the landing step's count).
create view metric_cart_dead_letters as
select (event_time at time zone 'Asia/Manila')::date as day, reason, count(*) as events
  from cart_event_dead_letters
 group by 1, 2;
