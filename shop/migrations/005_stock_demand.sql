-- The demand the stock service has seen, per product, location and event-time day (UTC days since
-- the epoch): the units each paid (or first-seen delivered) order wanted, reserved plus backordered.
-- Written in the same transaction as the stock change, so a redelivered record counts nothing twice;
-- the reorder policy (stock/reorder-policy.ts) sizes reorder points and order quantities from the
-- trailing days. Not streamed by CDC (the stock movements carry the same facts).
create table stock_demand (
  sku integer not null,
  location_id text not null,
  day integer not null,
  units integer not null,
  primary key (sku, location_id, day),
  constraint stock_demand_units_not_negative check (units >= 0)
);
