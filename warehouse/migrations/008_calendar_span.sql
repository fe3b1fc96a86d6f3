-- The calendar must cover the data before anyone runs `warehouse refresh`: a backfill lands two
-- years of history right after `warehouse migrate`. Cover, at least, five years back and one year
-- ahead of the current Manila year, and more if the data reaches further.
create or replace function refresh_dim_date() returns integer
language plpgsql
set search_path from current
as $$
declare
  this_year integer := extract(year from now() at time zone 'Asia/Manila');
  first_year integer;
  last_year integer;
  n integer;
begin
  select least(this_year - 5, min(extract(year from order_date at time zone 'Asia/Manila'))),
         greatest(this_year + 1,
                  max(extract(year from order_date at time zone 'Asia/Manila')),
                  max(extract(year from finished_date at time zone 'Asia/Manila')))
    into first_year, last_year
    from orders;
  with days as (
    select d::date as day
      from generate_series(make_date(first_year, 1, 1), make_date(last_year, 12, 31), interval '1 day') d
  ), holidays as (
    select holiday, string_agg(holiday_name, ' / ' order by holiday_name) as holiday_name
      from (select h.holiday, h.holiday_name
              from generate_series(first_year, last_year) y, ph_regular_holidays(y) h
            union
            select holiday, holiday_name from extra_holidays) all_holidays
     group by holiday
  )
  insert into dim_date as t
  select day,
         extract(year from day)::integer,
         extract(quarter from day)::integer,
         date_trunc('quarter', day)::date,
         extract(month from day)::integer,
         date_trunc('month', day)::date,
         extract(day from day)::integer,
         extract(isodow from day)::integer,
         trim(to_char(day, 'Day')),
         extract(isodow from day) >= 6,
         extract(day from day) in (14, 15),
         day >= (date_trunc('month', day) + interval '1 month' - interval '2 days')::date
           or (extract(month from day) = 2 and extract(day from day) >= 27),
         h.holiday is not null,
         h.holiday_name
    from days
    left join holidays h on h.holiday = days.day
  on conflict (date_day) do update
     set is_holiday = excluded.is_holiday,
         holiday_name = excluded.holiday_name;
  get diagnostics n = row_count;
  return n;
end
$$;

select refresh_dim_date();
