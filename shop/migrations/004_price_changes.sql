-- The price schedule (reference/price-schedule.ts): every change of a product's price and cost with
-- the time it takes effect (the opening row, cost increases, promotions and their ends). Written once
-- by `orderflow shop migrate` from the seed, the same schedule the generator prices order lines
-- from, and streamed to the warehouse by CDC, where dim_product_scd2 is built from it.
create table price_changes (
  sku integer not null references products (sku),
  effective_at timestamptz not null,
  price numeric(12, 2) not null,
  cost numeric(12, 2) not null,
  reason text not null,
  primary key (sku, effective_at),
  constraint price_changes_price_not_negative check (price >= 0),
  constraint price_changes_cost_not_negative check (cost >= 0),
  constraint price_changes_reason_known check (reason in ('opening', 'cost-increase', 'promotion', 'promotion-end'))
);

create function refuse_bad_price_change() returns trigger language plpgsql as $$
begin
  if new.price < 0 then
    raise exception 'price change of SKU % at %: price may not be below zero: price = %', new.sku, new.effective_at, new.price
      using errcode = 'check_violation', hint = 'prices are PHP amounts of 0.00 or more';
  end if;
  if new.cost < 0 then
    raise exception 'price change of SKU % at %: cost may not be below zero: cost = %', new.sku, new.effective_at, new.cost
      using errcode = 'check_violation', hint = 'costs are PHP amounts of 0.00 or more';
  end if;
  return new;
end $$;
create trigger price_changes_refuse_bad before insert or update on price_changes
  for each row execute function refuse_bad_price_change();

alter publication orderflow_shop add table price_changes;
