-- Customer history as SCD type 2.
--
-- The sink upserts `customers` by customer_id, one row per order's customer, and those rows arrive
-- in finish-time order, not order-time order: a late row can describe an older version. So:
--   1. every landed row is kept as an observation (customer_observations, idempotent per order);
--   2. the landing row keeps the newest version by as_of (an older one does not overwrite it);
--   3. dim_customer is rebuilt for that customer from all their observations, in as_of order.
-- This runs in a trigger on the landing table rather than in a periodic job: the dashboard sees a
-- move as soon as the row lands, the work per row is one customer's few observations, and because
-- each rebuild starts from the full observation set, arrival order cannot corrupt the history.

create table customer_observations (
  customer_id     text not null,
  last_order_id   text not null,
  as_of           timestamptz not null,
  customer_name   text,
  company         text,
  email           text,
  street_address  text,
  lgu             text,
  provincial_code text,
  contact_number  text,
  primary key (customer_id, last_order_id)
);
comment on table customer_observations is 'Every version of a customer that landed, one per order (feeds dim_customer).';

create table dim_customer (
  customer_key    bigint generated always as identity primary key,
  customer_id     text not null,
  version         integer not null,
  first_order_id  text not null,
  customer_name   text,
  company         text,
  email           text,
  street_address  text,
  lgu             text,
  provincial_code text,
  contact_number  text,
  valid_from      timestamptz not null,
  valid_to        timestamptz not null,
  is_current      boolean not null,
  unique (customer_id, first_order_id)
);
comment on table dim_customer is 'SCD type 2 on street_address, lgu and email: one row per version, valid over [valid_from, valid_to); the current version has valid_to = infinity. Other attributes take the newest value seen within the version.';
create index dim_customer_validity_idx on dim_customer (customer_id, valid_from);

-- Recompute one customer's versions from their observations. Versions are islands of consecutive
-- observations (by as_of) with the same address and email; a version keeps its surrogate key as long
-- as its first observation stays the same.
create function rebuild_dim_customer(p_customer_id text) returns void
language plpgsql
set search_path from current
as $$
begin
  perform pg_advisory_xact_lock(3858, hashtext(p_customer_id));
  with ordered as (
    select o.*,
           case when row_number() over w = 1
                  or (lag(o.street_address) over w) is distinct from o.street_address
                  or (lag(o.lgu) over w) is distinct from o.lgu
                  or (lag(o.email) over w) is distinct from o.email
                then 1 else 0 end as starts_version
      from customer_observations o
     where o.customer_id = p_customer_id
    window w as (order by o.as_of, o.last_order_id)
  ), numbered as (
    select *, sum(starts_version) over (order by as_of, last_order_id) as version
      from ordered
  ), versions as (
    select version::integer as version,
           min(as_of) as valid_from,
           (array_agg(last_order_id order by as_of, last_order_id))[1] as first_order_id,
           (array_agg(customer_name order by as_of desc, last_order_id desc))[1] as customer_name,
           (array_agg(company order by as_of desc, last_order_id desc))[1] as company,
           (array_agg(email order by as_of desc, last_order_id desc))[1] as email,
           (array_agg(street_address order by as_of desc, last_order_id desc))[1] as street_address,
           (array_agg(lgu order by as_of desc, last_order_id desc))[1] as lgu,
           (array_agg(provincial_code order by as_of desc, last_order_id desc))[1] as provincial_code,
           (array_agg(contact_number order by as_of desc, last_order_id desc))[1] as contact_number
      from numbered
     group by version
  ), wanted as (
    select v.*,
           coalesce(lead(valid_from) over (order by version), 'infinity'::timestamptz) as valid_to
      from versions v
  ), stale as (
    delete from dim_customer d
     where d.customer_id = p_customer_id
       and not exists (select 1 from wanted w where w.first_order_id = d.first_order_id)
  )
  insert into dim_customer as d (customer_id, version, first_order_id, customer_name, company, email,
                                 street_address, lgu, provincial_code, contact_number, valid_from,
                                 valid_to, is_current)
  select p_customer_id, version, first_order_id, customer_name, company, email, street_address, lgu,
         provincial_code, contact_number, valid_from, valid_to, valid_to = 'infinity'
    from wanted
  on conflict (customer_id, first_order_id) do update
     set version = excluded.version,
         customer_name = excluded.customer_name,
         company = excluded.company,
         email = excluded.email,
         street_address = excluded.street_address,
         lgu = excluded.lgu,
         provincial_code = excluded.provincial_code,
         contact_number = excluded.contact_number,
         valid_from = excluded.valid_from,
         valid_to = excluded.valid_to,
         is_current = excluded.is_current
   where (d.version, d.customer_name, d.company, d.email, d.street_address, d.lgu, d.provincial_code,
          d.contact_number, d.valid_from, d.valid_to, d.is_current)
         is distinct from
         (excluded.version, excluded.customer_name, excluded.company, excluded.email,
          excluded.street_address, excluded.lgu, excluded.provincial_code, excluded.contact_number,
          excluded.valid_from, excluded.valid_to, excluded.is_current);
end
$$;

-- Rebuild every customer (after a bulk load that bypassed the trigger, or to repair).
create function rebuild_all_dim_customers() returns integer
language plpgsql
set search_path from current
as $$
declare
  n integer := 0;
  id text;
begin
  delete from dim_customer d
   where not exists (select 1 from customer_observations o where o.customer_id = d.customer_id);
  for id in select distinct customer_id from customer_observations loop
    perform rebuild_dim_customer(id);
    n := n + 1;
  end loop;
  return n;
end
$$;

-- On every landed customer row (insert, upsert or update): record the observation, rebuild the
-- customer's history if it was new, and keep the landing row at the newest as_of.
create function customers_land() returns trigger
language plpgsql
set search_path from current
as $$
begin
  if new.customer_id is not null and new.last_order_id is not null and new.as_of is not null then
    insert into customer_observations as o (customer_id, last_order_id, as_of, customer_name, company,
                                             email, street_address, lgu, provincial_code, contact_number)
    values (new.customer_id, new.last_order_id, new.as_of, new.customer_name, new.company, new.email,
            new.street_address, new.lgu, new.provincial_code, new.contact_number)
    on conflict (customer_id, last_order_id) do update
       set as_of = excluded.as_of,
           customer_name = excluded.customer_name,
           company = excluded.company,
           email = excluded.email,
           street_address = excluded.street_address,
           lgu = excluded.lgu,
           provincial_code = excluded.provincial_code,
           contact_number = excluded.contact_number
     where (o.as_of, o.customer_name, o.company, o.email, o.street_address, o.lgu, o.provincial_code,
            o.contact_number)
           is distinct from
           (excluded.as_of, excluded.customer_name, excluded.company, excluded.email,
            excluded.street_address, excluded.lgu, excluded.provincial_code, excluded.contact_number);
    if found then
      perform rebuild_dim_customer(new.customer_id);
    end if;
  end if;
  -- An older version arriving late must not replace the newest one. Returning OLD (not NULL) keeps
  -- the row count at 1, so the sink sees an ordinary successful upsert.
  if tg_op = 'UPDATE' and old.as_of is not null and (new.as_of is null or new.as_of < old.as_of) then
    return old;
  end if;
  return new;
end
$$;

create trigger customers_land
before insert or update on customers
for each row execute function customers_land();
