-- Metrics of customer support (docs/metrics.md, "Support"): Manila days of the ticket's own times;
-- orders counted by order_date, as in every other tab.

-- Day grain: opened, resolved and auto-closed tickets, tickets per 1,000 orders placed that day, and
-- the open backlog at the day's end (created by then, neither resolved nor closed by then).
create view metric_support_daily as
with bounds as (
  select (min(created_at) at time zone 'Asia/Manila')::date as lo,
         (max(coalesce(closed_at, resolved_at, created_at)) at time zone 'Asia/Manila')::date as hi
    from dim_support_ticket
), days as (
  select d::date as day from bounds, generate_series(bounds.lo, bounds.hi, interval '1 day') d
), events as (
  select (event_at at time zone 'Asia/Manila')::date as day,
         count(*) filter (where event = 'opened') as opened,
         count(*) filter (where event = 'resolved') as resolved,
         count(*) filter (where event = 'auto_closed') as auto_closed
    from fact_support_ticket_event
   group by 1
), placed as (
  select (order_date at time zone 'Asia/Manila')::date as day, count(*) as orders from orders group by 1
)
select d.day,
       coalesce(e.opened, 0) as tickets_opened,
       coalesce(e.resolved, 0) as tickets_resolved,
       coalesce(e.auto_closed, 0) as tickets_auto_closed,
       coalesce(p.orders, 0) as orders,
       case when coalesce(p.orders, 0) > 0 then round(1000.0 * coalesce(e.opened, 0) / p.orders, 1) end
         as tickets_per_1000_orders,
       (select count(*) from dim_support_ticket t
         where t.created_at < (d.day + 1)::timestamp at time zone 'Asia/Manila'
           and coalesce(t.resolved_at, t.closed_at, 'infinity') >= (d.day + 1)::timestamp at time zone 'Asia/Manila')
         as open_backlog
  from days d
  left join events e on e.day = d.day
  left join placed p on p.day = d.day;

-- By category: volume, time to resolve (hours), share closed by the 7-day rule.
create view metric_support_category as
select category,
       count(*) as tickets,
       count(*) filter (where status = 'Resolved') as resolved,
       count(*) filter (where auto_closed) as auto_closed,
       round(count(*) filter (where auto_closed)::numeric / count(*), 4) as share_auto_closed,
       round((avg(extract(epoch from resolved_at - created_at)) / 3600)::numeric, 1) as avg_hours_to_resolve,
       round((percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)) / 3600)::numeric, 1)
         as median_hours_to_resolve
  from dim_support_ticket
 group by category;

-- By the failure reason of the ticket's order ('delivered' for late deliveries, 'no order' for
-- inquiries), with tickets per 1,000 landed orders of that reason.
create view metric_support_failure_reason as
with t as (
  select case when t.order_id is null then 'no order'
              else coalesce(o.failure_reason, lower(o.order_status), 'order not landed') end as reason,
         t.auto_closed
    from dim_support_ticket t
    left join orders o on o.order_id = t.order_id
), per_reason as (
  select coalesce(failure_reason, lower(order_status)) as reason, count(*) as orders from orders group by 1
)
select t.reason,
       count(*) as tickets,
       max(p.orders) as orders,
       case when max(p.orders) > 0 then round(1000.0 * count(*) / max(p.orders), 1) end as tickets_per_1000_orders,
       count(*) filter (where t.auto_closed) as auto_closed
  from t
  left join per_reason p on p.reason = t.reason
 group by t.reason;
