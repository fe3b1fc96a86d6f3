-- The star schema over the landing tables. Views, because at the shop's volume (tens of thousands of
-- orders) they answer in milliseconds and are never stale; see docs/metrics.md for measurements.
-- Every day is an Asia/Manila calendar day.

create view dim_product as
select sku,
       name as product_name,
       category,
       price as list_price,
       cost as unit_cost,
       price - cost as unit_margin,
       round((price - cost) / price * 100, 2) as margin_percent
  from products;

create view dim_location as
select lgu,
       provincial_code,
       tier,
       provincial_code = 'PH-00' as is_metro_manila,
       case when provincial_code = 'PH-00' then 'Metro Manila' else lgu end as province_name
  from locations;

-- One row per landed order; customer_key is the dim_customer version valid at order_date.
create view fact_orders as
select o.order_id,
       o.order_date,
       (o.order_date at time zone 'Asia/Manila')::date as order_day,
       o.customer_id,
       c.customer_key,
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
  from orders o
  left join dim_customer c
    on c.customer_id = o.customer_id
   and c.valid_from <= o.order_date
   and o.order_date < c.valid_to;

-- One row per order line, with the price actually paid and the catalogue's unit cost.
create view fact_order_items as
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
       p.cost as unit_cost,
       i.quantity * p.cost as line_cost,
       i.subtotal - i.quantity * p.cost as line_profit
  from order_items i
  left join orders o on o.order_id = i.order_id
  left join products p on p.sku = i.sku;

create view fact_order_failures as
select order_id,
       order_date,
       (order_date at time zone 'Asia/Manila')::date as order_day,
       customer_id,
       provincial_code,
       failure_stage,
       failure_reason,
       failed_at,
       (failed_at at time zone 'Asia/Manila')::date as failed_day,
       order_status,
       order_total,
       payment_method,
       express_shipping
  from orders
 where failure_stage is not null;

-- One row per lifecycle event, derived from the dates the order carries.
create view order_status_history as
select o.order_id,
       e.seq,
       e.event,
       e.status,
       e.event_at,
       (e.event_at at time zone 'Asia/Manila')::date as event_day
  from orders o
 cross join lateral (values
   (1, 'placed', 'PROCESSING', o.order_date),
   (2, 'paid', 'PROCESSING', o.payment_date),
   (3, 'shipped', 'SHIPPED', o.shipped_date),
   (4, lower(o.order_status), o.order_status, o.finished_date)
 ) as e (seq, event, status, event_at)
 where e.event_at is not null;
