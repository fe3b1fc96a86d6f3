-- The shop's operational database (its own database, `shop` by default; every table in schema shop).
-- The source of truth for the catalogue, its prices and the stock per fulfilment location. The
-- warehouse gets copies of these tables through change data capture (connect/sources/shop.json).

create table products (
  sku integer primary key,
  name text not null,
  category text not null,
  price numeric(12, 2) not null,
  cost numeric(12, 2) not null,
  -- Restocking rule: below reorder_point available units a purchase order of reorder_quantity is
  -- raised; it arrives lead_time_days later in event time.
  reorder_point integer not null,
  reorder_quantity integer not null,
  lead_time_days integer not null,
  updated_at timestamptz not null default now(),
  constraint products_price_not_negative check (price >= 0),
  constraint products_cost_not_negative check (cost >= 0),
  constraint products_restock_rule_positive check (reorder_point >= 0 and reorder_quantity > 0 and lead_time_days > 0)
);

create table locations (
  location_id text primary key,
  name text not null,
  kind text not null,
  provincial_code text not null,
  constraint locations_kind_known check (kind in ('warehouse', 'store'))
);

create table stock (
  sku integer not null references products (sku),
  location_id text not null references locations (location_id),
  on_hand integer not null,
  -- Units held for paid orders not yet delivered (part of on_hand).
  reserved integer not null default 0,
  -- Units ordered while none were available (stock-outs), cumulative.
  backordered integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (sku, location_id),
  constraint stock_on_hand_not_negative check (on_hand >= 0),
  constraint stock_reserved_within_on_hand check (reserved >= 0 and reserved <= on_hand),
  constraint stock_backordered_not_negative check (backordered >= 0)
);

create table restocks (
  restock_id text primary key,
  sku integer not null references products (sku),
  location_id text not null references locations (location_id),
  quantity integer not null,
  status text not null,
  ordered_at timestamptz not null,
  expected_at timestamptz not null,
  received_at timestamptz,
  constraint restocks_quantity_positive check (quantity > 0),
  constraint restocks_status_known check (status in ('ordered', 'received')),
  constraint restocks_arrives_after_order check (expected_at >= ordered_at)
);

-- A readable refusal for the edits people make by hand (the check constraints above stay as the
-- backstop): the message names the row, the column, the bad value and what is allowed.
create function refuse_bad_stock() returns trigger language plpgsql as $$
begin
  if new.on_hand < 0 then
    raise exception 'stock of SKU % at % may not be negative: on_hand = %', new.sku, new.location_id, new.on_hand
      using errcode = 'check_violation', hint = 'on_hand counts units on the shelf: use 0 or more';
  end if;
  if new.reserved < 0 or new.reserved > new.on_hand then
    raise exception 'stock of SKU % at %: reserved = % must be between 0 and on_hand = %', new.sku, new.location_id, new.reserved, new.on_hand
      using errcode = 'check_violation', hint = 'reserved units are part of on_hand';
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger stock_refuse_bad before insert or update on stock for each row execute function refuse_bad_stock();

create function refuse_bad_price() returns trigger language plpgsql as $$
begin
  if new.price < 0 then
    raise exception 'price of SKU % may not be below zero: price = %', new.sku, new.price
      using errcode = 'check_violation', hint = 'prices are PHP amounts of 0.00 or more';
  end if;
  if new.cost < 0 then
    raise exception 'cost of SKU % may not be below zero: cost = %', new.sku, new.cost
      using errcode = 'check_violation', hint = 'costs are PHP amounts of 0.00 or more';
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger products_refuse_bad before insert or update on products for each row execute function refuse_bad_price();

-- Debezium's heartbeat writes here (heartbeat.action.query): without it a quiet shop database never
-- moves the slot's confirmed position while the warehouse, in the same cluster, writes WAL, and the
-- slot would hold that WAL back.
create table cdc_heartbeat (
  id integer primary key,
  beat_at timestamptz not null
);

-- The publication the connector streams (pgoutput). The replication slot is created by
-- `orderflow shop migrate` (slots are not transactional) and dropped by `orderflow shop reset`.
create publication orderflow_shop for table products, locations, stock, restocks, cdc_heartbeat;
