-- Customer support: the tickets of the daily reports the support desk uploads to the FTP server
-- (support/), loaded by `orderflow support load` (support/loader.ts). Every ticket once
-- (dim_support_ticket), its life as events (fact_support_ticket_event), and the loader's own record
-- of each report it loaded or set aside, written in the same transaction as the rows, so a restart
-- loads nothing twice.

create table support_report_load (
  report_day date primary key,
  file_name text not null,
  status text not null check (status in ('loaded', 'rejected')),
  reason text,
  rows_in_file integer not null default 0,
  rows_loaded integer not null default 0,
  duplicates_removed integer not null default 0,
  statuses_repaired integer not null default 0,
  rule_violations integer not null default 0,
  auto_closed integer not null default 0,
  loaded_at timestamptz not null default now()
);

-- Days with no report: found when a later day's report arrived first (the desk deletes each report
-- once the next is up, so a loader that was down too long misses some).
create table support_report_gap (
  report_day date primary key,
  detected_while_loading date not null,
  detected_at timestamptz not null default now()
);

create table dim_support_ticket (
  ticket_id text primary key,
  -- The order the ticket is about, when its description names one ("Order <id>: ...").
  order_id text,
  customer_name text not null,
  email text not null,
  phone text not null,
  category text not null check (category in
    ('Billing', 'Technical Support', 'Account Management', 'Product Inquiry', 'Shipping', 'Returns and Refunds')),
  description text not null,
  created_at timestamptz not null,
  status text not null check (status in ('Pending', 'In Progress', 'Resolved', 'Closed')),
  resolved_at timestamptz,
  -- Closed by the 7-day rule: still open 7 days after it was created.
  closed_at timestamptz,
  auto_closed boolean not null default false,
  first_report_day date not null,
  last_report_day date not null,
  check ((status = 'Resolved') = (resolved_at is not null)),
  check ((status = 'Closed') = (closed_at is not null))
);
create index dim_support_ticket_order on dim_support_ticket (order_id);

create table fact_support_ticket_event (
  ticket_id text not null references dim_support_ticket (ticket_id),
  event text not null check (event in ('opened', 'resolved', 'auto_closed')),
  event_at timestamptz not null,
  report_day date not null,
  category text not null,
  primary key (ticket_id, event)
);
