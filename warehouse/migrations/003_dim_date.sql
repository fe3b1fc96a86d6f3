-- The calendar in Asia/Manila days: weekday/weekend, quarter, the shop's sale days (payday 14-15,
-- month-end: the last two days, and Feb 27-29) and Philippine regular public holidays.

-- Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
create function easter_sunday(y integer) returns date
language plpgsql immutable strict
set search_path from current
as $$
declare
  a integer := y % 19;
  b integer := y / 100;
  c integer := y % 100;
  h integer;
  l integer;
  m integer;
begin
  h := (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30;
  l := (32 + 2 * (b % 4) + 2 * (c / 4) - h - c % 4) % 7;
  m := (a + 11 * h + 22 * l) / 451;
  return make_date(y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
end
$$;

-- Regular holidays fixed by law (Republic Act 9492 as amended): dates that follow a rule. Eid'l Fitr
-- and Eid'l Adha are regular holidays too, but their dates are proclaimed each year; add them to
-- extra_holidays when known.
create function ph_regular_holidays(y integer) returns table (holiday date, holiday_name text)
language sql immutable strict
set search_path from current
as $$
  select d, n from (values
    (make_date(y, 1, 1), 'New Year''s Day'),
    (easter_sunday(y) - 3, 'Maundy Thursday'),
    (easter_sunday(y) - 2, 'Good Friday'),
    (make_date(y, 4, 9), 'Araw ng Kagitingan'),
    (make_date(y, 5, 1), 'Labor Day'),
    (make_date(y, 6, 12), 'Independence Day'),
    (make_date(y, 8, 31) - (extract(isodow from make_date(y, 8, 31))::integer - 1), 'National Heroes Day'),
    (make_date(y, 11, 30), 'Bonifacio Day'),
    (make_date(y, 12, 25), 'Christmas Day'),
    (make_date(y, 12, 30), 'Rizal Day')
  ) as h (d, n)
$$;

create table extra_holidays (
  holiday      date primary key,
  holiday_name text not null
);
comment on table extra_holidays is 'Proclaimed regular holidays without a fixed rule (Eid''l Fitr, Eid''l Adha); folded into dim_date on refresh.';

create table dim_date (
  date_day      date primary key,
  year          integer not null,
  quarter       integer not null,
  quarter_start date not null,
  month         integer not null,
  month_start   date not null,
  day_of_month  integer not null,
  iso_weekday   integer not null,
  weekday_name  text not null,
  is_weekend    boolean not null,
  is_payday     boolean not null,
  is_month_end  boolean not null,
  is_holiday    boolean not null,
  holiday_name  text
);
comment on table dim_date is 'One row per Asia/Manila calendar day over the years the data covers (and the current year).';

-- (Re)build whole years from the earliest to the latest year in the data, always including the
-- current Manila year. Idempotent; `orderflow warehouse refresh` runs it.
create function refresh_dim_date() returns integer
language plpgsql
set search_path from current
as $$
declare
  this_year integer := extract(year from now() at time zone 'Asia/Manila');
  first_year integer;
  last_year integer;
  n integer;
begin
  select least(this_year, min(extract(year from order_date at time zone 'Asia/Manila'))),
         greatest(this_year,
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
