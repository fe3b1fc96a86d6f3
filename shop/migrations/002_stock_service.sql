-- The stock service's own state (stock/): what each order holds, every stock movement, the event-time
-- clock restocks arrive by, and the consumed offsets, all written in the same transaction as the
-- stock change they belong to, so a redelivered record changes nothing.

create table stock_orders (
  order_id text primary key,
  paid boolean not null default false,
  -- How the order ended: delivered, returned, released (cancelled after payment), none (never paid).
  ended text,
  constraint stock_orders_end_known check (ended is null or ended in ('delivered', 'returned', 'released', 'none'))
);

create table stock_reservations (
  order_id text not null,
  sku integer not null,
  location_id text not null,
  reserved integer not null,
  backordered integer not null,
  primary key (order_id, sku, location_id)
);

create table stock_movements (
  movement_id bigserial primary key,
  sku integer not null,
  location_id text not null,
  kind text not null,
  quantity integer not null,
  event_time timestamptz not null,
  order_id text,
  restock_id text,
  constraint stock_movements_kind_known check (kind in ('reserve', 'release', 'consume', 'return', 'backorder', 'restock'))
);
create index stock_movements_order on stock_movements (order_id);

create table stock_clock (
  id integer primary key,
  event_time timestamptz not null
);

create table stock_offsets (
  consumer_group text not null,
  topic text not null,
  partition integer not null,
  next_offset bigint not null,
  primary key (consumer_group, topic, partition)
);
