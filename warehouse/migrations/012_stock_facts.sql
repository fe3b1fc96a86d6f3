-- Stock in the warehouse, from the shop database's change stream (no code-side copy): every stock
-- movement, the restocks with their lead times, and a daily stock snapshot per product and location.
create table shop_stock_movements (
  movement_id bigint primary key,
  sku integer not null,
  location_id text not null,
  kind text not null,
  quantity integer not null,
  event_time timestamptz not null,
  order_id text,
  restock_id text,
  landed_at timestamptz
);
create trigger shop_stock_movements_landed before insert or update on shop_stock_movements
  for each row execute function shop_landed();
create index shop_stock_movements_sku_time on shop_stock_movements (sku, location_id, event_time);

-- One row per movement; on_hand_change and reserved_change are what it did to the shelf and to
-- the reservations (a backorder changes neither: it is demand the shelf could not serve).
create view fact_stock_movement as
select m.movement_id,
       m.sku,
       m.location_id,
       (m.event_time at time zone 'Asia/Manila')::date as movement_day,
       m.event_time,
       m.kind,
       m.quantity,
       case m.kind when 'consume' then -m.quantity when 'return' then m.quantity when 'restock' then m.quantity else 0 end
         as on_hand_change,
       case m.kind when 'reserve' then m.quantity when 'release' then -m.quantity when 'consume' then -m.quantity else 0 end
         as reserved_change,
       case when m.kind = 'backorder' then m.quantity else 0 end as backordered_units,
       m.order_id,
       m.restock_id
  from shop_stock_movements m;

-- Purchase orders raised below the reorder point: lead time in days (event time), open or received.
create view fact_restock as
select r.restock_id,
       r.sku,
       r.location_id,
       r.quantity,
       r.status,
       r.ordered_at,
       r.expected_at,
       r.received_at,
       (r.ordered_at at time zone 'Asia/Manila')::date as ordered_day,
       extract(epoch from (r.expected_at - r.ordered_at)) / 86400.0 as lead_time_days
  from shop_restocks r;

-- The stock at the end of each day (Asia/Manila) that had movements, per product and location,
-- worked back from the current level: closing on_hand = today's on_hand minus every change after
-- that day. Days without movements carry the previous closing level.
create view fact_product_stock as
with days as (
  select sku, location_id, movement_day,
         sum(on_hand_change) as on_hand_change,
         sum(reserved_change) as reserved_change,
         sum(backordered_units) as backordered_units
    from fact_stock_movement
   group by sku, location_id, movement_day
)
select d.sku,
       d.location_id,
       d.movement_day as snapshot_day,
       s.on_hand - coalesce(sum(d.on_hand_change) over later, 0) as closing_on_hand,
       s.reserved - coalesce(sum(d.reserved_change) over later, 0) as closing_reserved,
       d.on_hand_change,
       d.backordered_units
  from days d
  join shop_stock s using (sku, location_id)
window later as (partition by d.sku, d.location_id order by d.movement_day desc
                 rows between unbounded preceding and 1 preceding);

-- Current stock per product and location: level, available units, days of cover at the last 30
-- event-time days' consumption, backorders and open restocks.
create view metric_stock_levels as
with recent as (
  select sku, location_id, sum(-on_hand_change) filter (where kind = 'consume') as consumed_30d
    from fact_stock_movement
   where event_time > (select max(event_time) from shop_stock_movements) - interval '30 days'
   group by sku, location_id
)
select s.sku,
       p.name,
       s.location_id,
       s.on_hand,
       s.reserved,
       s.on_hand - s.reserved as available,
       p.reorder_point,
       s.on_hand - s.reserved < p.reorder_point as below_reorder_point,
       s.backordered,
       case when coalesce(r.consumed_30d, 0) > 0 then round((s.on_hand - s.reserved) / (r.consumed_30d / 30.0), 1) end
         as days_of_cover,
       (select count(*) from shop_restocks x where x.sku = s.sku and x.location_id = s.location_id and x.status = 'ordered')
         as open_restocks
  from shop_stock s
  join shop_products p using (sku)
  left join recent r using (sku, location_id);
