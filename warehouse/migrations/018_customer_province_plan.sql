-- The SCD type 3 refresh of migration 017, same results, cheaper (issue 18). It runs from a trigger
-- on every new or changed dim_customer version, about once per landed customer row in a backfill,
-- and was the largest single cost per order in `orderflow bench sustained` (pg_stat_statements with
-- track = all): as a SQL-language function its window-function UPDATE was planned again on every
-- call, about 270 µs of PostgreSQL CPU each. The same statement in PL/pgSQL was worse: after five
-- calls PL/pgSQL keeps a generic plan, made while dim_customer was nearly empty, and that plan scans
-- the whole table (2 ms a call by the end of a 30,000-order backfill).
-- Now: one indexed read of the customer's versions in valid_from order, the type 3 values carried
-- forward from each change of province, and an update by key only of a version whose values
-- differ. Each call plans its two simple statements for the customer at hand (force_custom_plan),
-- about 50 µs in all. The update sets only the type 3 columns, so it does not fire 017's triggers.
create or replace function refresh_customer_province(id text) returns void
language plpgsql
set plan_cache_mode = force_custom_plan
as $$
declare
  v record;
  n integer := 0;
  before_code text;
  before_lgu text;
  -- The type 3 values in force: those of the customer's latest change of province so far.
  moved_from_code text;
  moved_from_lgu text;
  moved_at timestamptz;
begin
  for v in select customer_key, provincial_code, lgu, valid_from, previous_provincial_code, previous_lgu,
                  province_changed_at
             from dim_customer
            where customer_id = id
            order by valid_from, version
  loop
    n := n + 1;
    if n > 1 and before_code is distinct from v.provincial_code then
      moved_from_code := before_code;
      moved_from_lgu := before_lgu;
      moved_at := v.valid_from;
    end if;
    if (v.previous_provincial_code, v.previous_lgu, v.province_changed_at)
       is distinct from (moved_from_code, moved_from_lgu, moved_at) then
      update dim_customer
         set previous_provincial_code = moved_from_code,
             previous_lgu = moved_from_lgu,
             province_changed_at = moved_at
       where customer_key = v.customer_key;
    end if;
    before_code := v.provincial_code;
    before_lgu := v.lgu;
  end loop;
end
$$;

-- A customer's only version (version 1, still current: the common case, a new customer) has no
-- earlier province, and is inserted with the type 3 columns null: its insert calls nothing. Any
-- other insert (a new version, a rebuild's versions) refreshes the customer as before.
drop trigger dim_customer_province_insert on dim_customer;
create trigger dim_customer_province_insert
after insert on dim_customer
for each row
when (not (new.version = 1 and new.valid_to = 'infinity' and new.previous_provincial_code is null
           and new.previous_lgu is null and new.province_changed_at is null))
execute function dim_customer_province_changed();
