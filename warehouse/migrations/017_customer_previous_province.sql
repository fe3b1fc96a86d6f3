-- SCD type 3 on the customer's province, beside the SCD type 2 history (issue 16): each dim_customer
-- version also carries the province the customer lived in before they moved to this version's
-- province, and when that move happened, so "where did they come from" needs no self-join over the
-- versions. On the current version that is the classic type 3 pair: the current and the previous
-- province.
--   previous_provincial_code, previous_lgu: the province (and LGU) of the version before the last
--     change of provincial_code at or before this version; null while the customer never changed
--     province (a move within the province, or a new email, opens a version but changes neither);
--   province_changed_at: that change's time (the valid_from of the first version in the new
--     province); null likewise.
-- Maintained from the versions themselves: whenever a customer's versions are inserted, deleted, or
-- change province or validity (the landing step of migration 015 and rebuild_dim_customer alike),
-- the customer's type 3 columns are recomputed from the SCD2 rows in valid_from order. The triggers
-- only fire on those columns, and the recomputation writes only the type 3 columns, so it never
-- fires itself.
alter table dim_customer
  add column if not exists previous_provincial_code text,
  add column if not exists previous_lgu text,
  add column if not exists province_changed_at timestamptz;
comment on column dim_customer.previous_provincial_code is 'SCD type 3: the provincial_code before the customer last changed province (at or before this version); null if they never did.';
comment on column dim_customer.previous_lgu is 'SCD type 3: the LGU of the version before the customer last changed province; null if they never did.';
comment on column dim_customer.province_changed_at is 'SCD type 3: when the customer last changed province (at or before this version), the valid_from of the first version in the new province; null if they never did.';

create function refresh_customer_province(id text) returns void
language sql
as $$
  update dim_customer d
     set previous_provincial_code = s.previous_provincial_code,
         previous_lgu = s.previous_lgu,
         province_changed_at = s.province_changed_at
    from (select customer_key,
                 first_value(moved_from_code) over g as previous_provincial_code,
                 first_value(moved_from_lgu) over g as previous_lgu,
                 first_value(moved_at) over g as province_changed_at
            from (select *, count(moved_at) over (order by valid_from, version) as island
                    from (select customer_key, valid_from, version,
                                 case when moved then before_code end as moved_from_code,
                                 case when moved then before_lgu end as moved_from_lgu,
                                 case when moved then valid_from end as moved_at
                            from (select customer_key, valid_from, version,
                                         lag(provincial_code) over w as before_code,
                                         lag(lgu) over w as before_lgu,
                                         row_number() over w > 1
                                           and lag(provincial_code) over w is distinct from provincial_code as moved
                                    from dim_customer
                                   where customer_id = id
                                  window w as (order by valid_from, version)) v) m) i
          window g as (partition by island order by valid_from, version)) s
   where d.customer_key = s.customer_key
     and (d.previous_provincial_code, d.previous_lgu, d.province_changed_at)
         is distinct from (s.previous_provincial_code, s.previous_lgu, s.province_changed_at);
$$;

create function dim_customer_province_changed() returns trigger
language plpgsql
set search_path from current
as $$
begin
  if tg_op = 'DELETE' then
    perform refresh_customer_province(old.customer_id);
  else
    perform refresh_customer_province(new.customer_id);
    if tg_op = 'UPDATE' and old.customer_id is distinct from new.customer_id then
      perform refresh_customer_province(old.customer_id);
    end if;
  end if;
  return null;
end
$$;

create trigger dim_customer_province_insert
after insert on dim_customer
for each row execute function dim_customer_province_changed();

-- The landing step updates the current version's attributes on most landed rows: only a change
-- of province, LGU or validity can change a type 3 column.
create trigger dim_customer_province_update
after update of provincial_code, lgu, valid_from, version, customer_id on dim_customer
for each row
when ((old.provincial_code, old.lgu, old.valid_from, old.version, old.customer_id)
      is distinct from (new.provincial_code, new.lgu, new.valid_from, new.version, new.customer_id))
execute function dim_customer_province_changed();

create trigger dim_customer_province_delete
after delete on dim_customer
for each row execute function dim_customer_province_changed();

-- Versions landed before this migration.
select refresh_customer_province(customer_id) from (select distinct customer_id from dim_customer) c;
