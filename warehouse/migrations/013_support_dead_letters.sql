-- Support report lines the loader could not read (a wrong field count, a bad Ticket ID, category,
-- status or date), and whole files it could not read at all (line 0: the header, or broken quoting,
-- with the file's text). Written in the same transaction as the report's load, so each is recorded
-- once and the rest of the report still loads; `field` names what is wrong, `raw` is the text as it
-- stood in the file. Counted per report in support_report_load.dead_letters.
create table support_dead_letter (
  file_name text not null,
  line integer not null check (line >= 0),
  report_day date not null,
  field text not null,
  code text not null default 'ORDERFLOW_DECODE_FAILED',
  reason text not null,
  raw text not null,
  dead_lettered_at timestamptz not null default now(),
  primary key (file_name, line)
);
create index support_dead_letter_day on support_dead_letter (report_day);

alter table support_report_load add column dead_letters integer not null default 0;
