-- Landing tables: written by the JDBC sink connector, one per split topic, upserted by the record key.
-- Column names are the Avro field names of schemas/split/*.avsc, exactly. Only the keys are NOT NULL:
-- the sink is the writer, and a constraint violation would stall its task; `orderflow warehouse
-- check` reports missing values instead. timestamp-millis -> timestamptz, decimal(p,s) -> numeric(p,s).

create table orders (
  order_id         text primary key,
  order_date       timestamptz,
  customer_id      text,
  lgu              text,
  provincial_code  text,
  payment_status   boolean,
  payment_method   text,
  payment_date     timestamptz,
  shipping_id      text,
  express_shipping boolean,
  order_status     text,
  shipped_date     timestamptz,
  eta              timestamptz,
  finished_date    timestamptz,
  item_variety     integer,
  order_total      numeric(12, 2),
  failure_stage    text,
  failure_reason   text,
  failed_at        timestamptz
);
comment on table orders is 'One row per finished or failed order (split topic "orders", upsert by order_id).';

-- Dashboard access paths: time ranges, a customer''s orders, a province''s orders, status filters.
create index orders_order_date_idx on orders (order_date);
create index orders_customer_id_idx on orders (customer_id, order_date);
create index orders_provincial_code_idx on orders (provincial_code);
create index orders_status_idx on orders (order_status);

create table customers (
  customer_id     text primary key,
  customer_name   text,
  company         text,
  email           text,
  street_address  text,
  lgu             text,
  provincial_code text,
  contact_number  text,
  last_order_id   text,
  as_of           timestamptz
);
comment on table customers is 'The newest known version of each customer (split topic "customers", upsert by customer_id; older versions arriving late are kept out by a trigger and go to customer_observations).';

create table order_items (
  item_id          text primary key,
  order_id         text,
  order_date       timestamptz,
  order_status     text,
  sku              integer,
  product_name     text,
  category         text,
  unit_price       numeric(12, 2),
  quantity         integer,
  discount_percent numeric(5, 2),
  subtotal         numeric(12, 2)
);
comment on table order_items is 'One row per order line (split topic "order_items", upsert by item_id = order_id-sku).';

create index order_items_order_id_idx on order_items (order_id);
create index order_items_sku_idx on order_items (sku);
create index order_items_order_date_idx on order_items (order_date);

-- Reference data the project loads itself from the generator's catalogue and location list.
create table products (
  sku      integer primary key,
  name     text not null,
  category text not null,
  price    numeric(12, 2) not null check (price > 0),
  cost     numeric(12, 2) not null check (cost >= 0)
);
comment on table products is 'The catalogue: list price and unit cost per SKU (loaded by orderflow warehouse migrate).';

create table locations (
  lgu             text primary key,
  provincial_code text not null,
  tier            text not null
);
comment on table locations is 'The 99 LGUs orders ship to, with ISO 3166-2 province code and volume tier.';
