-- The shop database's tables as the CDC sink lands them (connect/cdc-sinks/shop.json): one row per
-- key, upserted from Debezium's change events and deleted on a delete event, so each is a copy of the
-- shop table as of the last change streamed. `orderflow shop reconcile` compares the two.
create table shop_products (
  sku integer primary key,
  name text not null,
  category text not null,
  price numeric(12, 2) not null,
  cost numeric(12, 2) not null,
  reorder_point integer not null,
  reorder_quantity integer not null,
  lead_time_days integer not null,
  updated_at timestamptz not null
);

create table shop_locations (
  location_id text primary key,
  name text not null,
  kind text not null,
  provincial_code text not null
);

create table shop_stock (
  sku integer not null,
  location_id text not null,
  on_hand integer not null,
  reserved integer not null,
  backordered integer not null,
  updated_at timestamptz not null,
  primary key (sku, location_id)
);

create table shop_restocks (
  restock_id text primary key,
  sku integer not null,
  location_id text not null,
  quantity integer not null,
  status text not null,
  ordered_at timestamptz not null,
  expected_at timestamptz not null,
  received_at timestamptz
);

-- When each row last landed (set by the warehouse, not streamed): landed_at minus the shop row's
-- updated_at is the CDC lag of that change (plus the length of the shop transaction that made it).
create function shop_landed() returns trigger language plpgsql as $$
begin
  new.landed_at := clock_timestamp();
  return new;
end $$;
alter table shop_products add column landed_at timestamptz;
alter table shop_locations add column landed_at timestamptz;
alter table shop_stock add column landed_at timestamptz;
alter table shop_restocks add column landed_at timestamptz;
create trigger shop_products_landed before insert or update on shop_products for each row execute function shop_landed();
create trigger shop_locations_landed before insert or update on shop_locations for each row execute function shop_landed();
create trigger shop_stock_landed before insert or update on shop_stock for each row execute function shop_landed();
create trigger shop_restocks_landed before insert or update on shop_restocks for each row execute function shop_landed();
