-- Cheaper customer landing, same results (issue 18). Migration 002's trigger cost about 130 µs of
-- PostgreSQL CPU per landed customer row, six times the upsert itself, for two reasons:
--   1. it was a BEFORE INSERT OR UPDATE trigger, and the sink's upsert (INSERT ... ON CONFLICT DO
--      UPDATE) fires both the INSERT and the UPDATE trigger when the customer is already there;
--   2. every new observation rebuilt the customer's whole history (rebuild_dim_customer), so the
--      work per row grew with the customer's number of orders.
-- Now:
--   1. the observation is recorded by an AFTER INSERT and an AFTER UPDATE trigger (one of them fires
--      per landed row); the BEFORE UPDATE trigger that keeps an older, late version out of the
--      landing row runs only for such a row (its WHEN clause is checked without calling a function)
--      and records that version's observation itself;
--   2. an observation that is the customer's newest (the common case) is one SCD2 step on the
--      current version: it stays in it (its attributes take the new values) or it closes it and
--      opens the next. A late observation inside a version changes nothing; a late earliest one
--      that joins the first version becomes its first observation. Anything else (a late one that
--      splits or ends a version, a changed observation, a non-finite as_of, a dim_customer out of
--      step with the observations) rebuilds the customer from the observations as before, so
--      arrival order still cannot corrupt the history.
-- The step gives what the rebuild would give, row for row (test/integration/warehouse/scd2-step.test.ts
-- compares them on a shuffled history with redeliveries). Surrogate keys are allocated as before: a
-- version keeps its key while its first observation stays the same; new versions take new keys.
-- The sink writes one statement per row (JDBC batches without rewriting), so statement-level
-- triggers with transition tables would fire per row too: these stay row triggers.

drop trigger customers_land on customers;

-- Record one observed customer version and bring dim_customer up to date. Called by the landing
-- triggers below, whose SET search_path it runs under (no SET of its own: one GUC switch per row).
create function customer_observed(r customers) returns void
language plpgsql
as $$
declare
  cur dim_customer%rowtype;
  prev customer_observations%rowtype;
  nxt customer_observations%rowtype;
begin
  insert into customer_observations (customer_id, last_order_id, as_of, customer_name, company, email,
                                     street_address, lgu, provincial_code, contact_number)
  values (r.customer_id, r.last_order_id, r.as_of, r.customer_name, r.company, r.email,
          r.street_address, r.lgu, r.provincial_code, r.contact_number)
  on conflict (customer_id, last_order_id) do nothing;
  if not found then
    -- Seen before: a redelivery changes nothing; a changed observation rebuilds the customer.
    update customer_observations o
       set as_of = r.as_of,
           customer_name = r.customer_name,
           company = r.company,
           email = r.email,
           street_address = r.street_address,
           lgu = r.lgu,
           provincial_code = r.provincial_code,
           contact_number = r.contact_number
     where o.customer_id = r.customer_id
       and o.last_order_id = r.last_order_id
       and (o.as_of, o.customer_name, o.company, o.email, o.street_address, o.lgu, o.provincial_code,
            o.contact_number)
           is distinct from
           (r.as_of, r.customer_name, r.company, r.email, r.street_address, r.lgu, r.provincial_code,
            r.contact_number);
    if found then
      perform rebuild_dim_customer(r.customer_id);
    end if;
    return;
  end if;

  -- The same lock as rebuild_dim_customer: one writer of a customer's versions at a time.
  perform pg_advisory_xact_lock(3858, hashtext(r.customer_id));
  if not isfinite(r.as_of) then
    perform rebuild_dim_customer(r.customer_id);
    return;
  end if;
  select * into nxt
    from customer_observations o
   where o.customer_id = r.customer_id and (o.as_of, o.last_order_id) > (r.as_of, r.last_order_id)
   order by o.as_of, o.last_order_id
   limit 1;
  if found then
    -- A late observation (about one in four in a backfill). Two cheap cases; anything else (it
    -- splits a version, or ends one) rebuilds the customer.
    if (nxt.street_address, nxt.lgu, nxt.email) is not distinct from (r.street_address, r.lgu, r.email) then
      select * into prev
        from customer_observations o
       where o.customer_id = r.customer_id and (o.as_of, o.last_order_id) < (r.as_of, r.last_order_id)
       order by o.as_of desc, o.last_order_id desc
       limit 1;
      if found then
        if (prev.street_address, prev.lgu, prev.email) is not distinct from (r.street_address, r.lgu, r.email) then
          return; -- inside a version (neither its first nor its newest observation): nothing changes
        end if;
      else
        -- The customer's earliest observation, same version as the next: it becomes the first
        -- version's first observation (a new first observation: a new key, as the rebuild gives).
        delete from dim_customer d
         where d.customer_id = r.customer_id and d.version = 1 and d.first_order_id = nxt.last_order_id
        returning * into cur;
        if found then
          insert into dim_customer (customer_id, version, first_order_id, customer_name, company, email,
                                    street_address, lgu, provincial_code, contact_number, valid_from,
                                    valid_to, is_current)
          values (r.customer_id, 1, r.last_order_id, cur.customer_name, cur.company, cur.email,
                  cur.street_address, cur.lgu, cur.provincial_code, cur.contact_number, r.as_of,
                  cur.valid_to, cur.is_current);
          return;
        end if;
      end if;
    end if;
    perform rebuild_dim_customer(r.customer_id);
    return;
  end if;

  select * into cur
    from dim_customer d
   where d.customer_id = r.customer_id and d.valid_to = 'infinity'
   order by d.version desc
   limit 1;
  if not found then
    if exists (select 1 from customer_observations o
                where o.customer_id = r.customer_id and o.last_order_id <> r.last_order_id) then
      perform rebuild_dim_customer(r.customer_id); -- history without a current version: repair
    else
      insert into dim_customer (customer_id, version, first_order_id, customer_name, company, email,
                                street_address, lgu, provincial_code, contact_number, valid_from,
                                valid_to, is_current)
      values (r.customer_id, 1, r.last_order_id, r.customer_name, r.company, r.email, r.street_address,
              r.lgu, r.provincial_code, r.contact_number, r.as_of, 'infinity', true);
    end if;
    return;
  end if;

  if (cur.street_address, cur.lgu, cur.email) is not distinct from (r.street_address, r.lgu, r.email) then
    -- Same address and email: the newest observation of the current version gives its attributes.
    update dim_customer d
       set customer_name = r.customer_name,
           company = r.company,
           email = r.email,
           street_address = r.street_address,
           lgu = r.lgu,
           provincial_code = r.provincial_code,
           contact_number = r.contact_number
     where d.customer_key = cur.customer_key
       and (d.customer_name, d.company, d.email, d.street_address, d.lgu, d.provincial_code,
            d.contact_number)
           is distinct from
           (r.customer_name, r.company, r.email, r.street_address, r.lgu, r.provincial_code,
            r.contact_number);
  else
    -- A move (or a new email): the current version ends where the next one begins.
    update dim_customer d set valid_to = r.as_of, is_current = false where d.customer_key = cur.customer_key;
    insert into dim_customer (customer_id, version, first_order_id, customer_name, company, email,
                              street_address, lgu, provincial_code, contact_number, valid_from,
                              valid_to, is_current)
    values (r.customer_id, cur.version + 1, r.last_order_id, r.customer_name, r.company, r.email,
            r.street_address, r.lgu, r.provincial_code, r.contact_number, r.as_of, 'infinity', true)
    on conflict (customer_id, first_order_id) do nothing;
    if not found then
      perform rebuild_dim_customer(r.customer_id); -- a stale version holds that key: repair
    end if;
  end if;
end
$$;

-- A landed row (inserted, or updated to a different row): record its observation.
create function customers_observe() returns trigger
language plpgsql
set search_path from current
as $$
begin
  perform customer_observed(new);
  return null;
end
$$;

-- An older version arriving after a newer one: record its observation, keep the landing row.
-- Returning OLD (not NULL) keeps the row count at 1, so the sink sees an ordinary successful upsert.
create function customers_keep_newest() returns trigger
language plpgsql
set search_path from current
as $$
begin
  if new.customer_id is not null and new.last_order_id is not null and new.as_of is not null then
    perform customer_observed(new);
  end if;
  return old;
end
$$;

create trigger customers_keep_newest
before update on customers
for each row
when (old.as_of is not null and (new.as_of is null or new.as_of < old.as_of))
execute function customers_keep_newest();

create trigger customers_observe_insert
after insert on customers
for each row
when (new.customer_id is not null and new.last_order_id is not null and new.as_of is not null)
execute function customers_observe();

-- An update that left the row as it was (a redelivery, or an older version kept out above) has
-- nothing new to record: its observation is already there.
create trigger customers_observe_update
after update on customers
for each row
when (new.customer_id is not null and new.last_order_id is not null and new.as_of is not null
      and old.* is distinct from new.*)
execute function customers_observe();

drop function customers_land();
