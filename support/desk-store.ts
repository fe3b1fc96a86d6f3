/**
 * The support desk's own database (a schema in the PostgreSQL cluster, default `support_desk`):
 * its tickets, the Kafka offsets they were made from, and the reports it uploaded. A batch's tickets
 * and its input offsets are committed in one transaction (exactly once, see support/README.md).
 */
import type pg from 'pg';
import { connectWarehouse, quoteIdent } from '../common/database.ts';
import type { Category, Ticket, Trigger } from './tickets.ts';

export async function connectDesk(databaseUrl: string, schema: string): Promise<pg.Client> {
  const client = await connectWarehouse(databaseUrl, schema);
  await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(`
    create table if not exists tickets (
      ticket_id text primary key,
      order_id text,
      customer_id text not null,
      customer_name text not null,
      email text not null,
      phone text not null,
      category text not null,
      trigger text not null,
      description text not null,
      created_at bigint not null,
      resolved_at bigint
    );
    create index if not exists tickets_created on tickets (created_at);
    create index if not exists tickets_resolved on tickets (resolved_at);
    create table if not exists input_offsets (
      topic text not null,
      partition integer not null,
      next_offset bigint not null,
      max_event_time bigint not null,
      primary key (topic, partition)
    );
    create table if not exists reports (
      day date primary key,
      file_name text not null,
      rows integer not null,
      uploaded_at timestamptz not null default now()
    );
    create table if not exists report_cursor (
      id integer primary key check (id = 1),
      next_day date not null
    );`);
  return client;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  /** Offset of each record in the batch, with its tickets and event time. */
  records: { offset: string; eventTime: number; tickets: Ticket[] }[];
}

/**
 * Store a partition batch's tickets and advance its offset, in one transaction. Records below the
 * stored offset were applied before (a redelivery after a crash): they are skipped. Returns the
 * number of new tickets.
 */
export async function applyBatch(
  db: pg.Client,
  batch: PartitionBatch,
): Promise<{ applied: number; tickets: number }> {
  await db.query('begin');
  try {
    const stored = await db.query<{ next_offset: string; max_event_time: string }>(
      'select next_offset, max_event_time from input_offsets where topic = $1 and partition = $2 for update',
      [batch.topic, batch.partition],
    );
    const from = BigInt(stored.rows[0]?.next_offset ?? '0');
    let maxEvent = Number(stored.rows[0]?.max_event_time ?? 0);
    const fresh = batch.records.filter((r) => BigInt(r.offset) >= from);
    const tickets = fresh.flatMap((r) => r.tickets);
    if (fresh.length === 0) {
      await db.query('rollback');
      return { applied: 0, tickets: 0 };
    }
    for (const r of fresh) maxEvent = Math.max(maxEvent, r.eventTime);
    if (tickets.length > 0) {
      await db.query(
        `insert into tickets (ticket_id, order_id, customer_id, customer_name, email, phone, category, trigger, description, created_at, resolved_at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[])
         on conflict (ticket_id) do nothing`,
        [
          tickets.map((t) => t.ticket_id),
          tickets.map((t) => t.order_id),
          tickets.map((t) => t.customer_id),
          tickets.map((t) => t.customer_name),
          tickets.map((t) => t.email),
          tickets.map((t) => t.phone),
          tickets.map((t) => t.category),
          tickets.map((t) => t.trigger),
          tickets.map((t) => t.description),
          tickets.map((t) => t.created_at),
          tickets.map((t) => t.resolved_at),
        ],
      );
    }
    const next = (BigInt(fresh.at(-1)!.offset) + 1n).toString();
    await db.query(
      `insert into input_offsets (topic, partition, next_offset, max_event_time) values ($1, $2, $3, $4)
       on conflict (topic, partition) do update set next_offset = excluded.next_offset, max_event_time = excluded.max_event_time`,
      [batch.topic, batch.partition, next, maxEvent],
    );
    await db.query('commit');
    return { applied: fresh.length, tickets: tickets.length };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Event time every input partition has reached: the least of the partitions' greatest event times,
 * over `partitions` partitions of each input topic (undefined until each has seen a record).
 */
export async function watermark(
  db: pg.Client,
  topics: string[],
  partitions: number,
): Promise<number | undefined> {
  const r = await db.query<{ n: string; low: string | null }>(
    'select count(*) as n, min(max_event_time) as low from input_offsets where topic = any($1)',
    [topics],
  );
  const row = r.rows[0]!;
  return Number(row.n) < topics.length * partitions || row.low === null ? undefined : Number(row.low);
}

export async function nextReportDay(db: pg.Client): Promise<string | undefined> {
  const cursor = await db.query<{ d: string }>(
    "select to_char(next_day, 'YYYY-MM-DD') as d from report_cursor",
  );
  if (cursor.rows[0]) return cursor.rows[0].d;
  return undefined;
}

export async function firstTicketTime(db: pg.Client): Promise<number | undefined> {
  const r = await db.query<{ t: string | null }>('select min(created_at) as t from tickets');
  return r.rows[0]?.t == null ? undefined : Number(r.rows[0].t);
}

/** Tickets created in [start, end), or created before `start` and resolved in [start, end). */
export async function ticketsOfDay(db: pg.Client, start: number, end: number): Promise<Ticket[]> {
  const r = await db.query<Record<string, string | null>>(
    `select * from tickets where (created_at >= $1 and created_at < $2) or (created_at < $1 and resolved_at >= $1 and resolved_at < $2)`,
    [start, end],
  );
  return r.rows.map((t) => ({
    ticket_id: t.ticket_id!,
    order_id: t.order_id ?? null,
    customer_id: t.customer_id!,
    customer_name: t.customer_name!,
    email: t.email!,
    phone: t.phone!,
    category: t.category as Category,
    trigger: t.trigger as Trigger,
    description: t.description!,
    created_at: Number(t.created_at),
    resolved_at: t.resolved_at === null || t.resolved_at === undefined ? null : Number(t.resolved_at),
  }));
}

export async function recordReport(
  db: pg.Client,
  day: string,
  fileName: string,
  rows: number,
  next: string,
): Promise<void> {
  await db.query('begin');
  try {
    await db.query(
      'insert into reports (day, file_name, rows) values ($1, $2, $3) on conflict (day) do update set rows = excluded.rows, uploaded_at = now()',
      [day, fileName, rows],
    );
    await db.query(
      'insert into report_cursor (id, next_day) values (1, $1) on conflict (id) do update set next_day = excluded.next_day',
      [next],
    );
    await db.query('commit');
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  }
}

export async function setCursor(db: pg.Client, day: string): Promise<void> {
  await db.query('insert into report_cursor (id, next_day) values (1, $1) on conflict (id) do nothing', [
    day,
  ]);
}
