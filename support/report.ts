/**
 * The daily report of the support desk, as the seed project's loader expects it: one CSV per
 * simulated Manila day, `customer_support_data_YYYY-MM-DD.csv`, holding that day's new tickets and
 * the older tickets resolved that day, with deliberate dirt (rows written twice, resolved rows
 * marked Pending but carrying their resolution date). Pure: tickets in, text out, and back.
 */
import { CATEGORIES, type Category, type Ticket } from './tickets.ts';
import { chance, supportRng } from './rng.ts';

export const REPORT_COLUMNS = [
  'Ticket ID',
  'Customer Name',
  'Email',
  'Phone',
  'Issue Category',
  'Issue Description',
  'Date Created',
  'Resolution Status',
  'Resolution Date',
] as const;

export const STATUSES = ['Pending', 'In Progress', 'Resolved'] as const;
export type ReportStatus = (typeof STATUSES)[number];

export interface ReportRow {
  ticket_id: string;
  customer_name: string;
  email: string;
  phone: string;
  category: Category;
  description: string;
  created_at: number;
  status: ReportStatus;
  resolved_at: number | null;
}

/** Rates of the report's deliberate dirt, each in [0, 1]. */
export interface ReportDirt {
  /** A row is written twice. */
  duplicate: number;
  /** A resolved row says Pending (or In Progress) while still carrying its resolution date. */
  staleStatus: number;
}

/** Days are Asia/Manila days (UTC+8 all year, no daylight saving), as every metric of the project. */
const MANILA_OFFSET = 8 * 3_600_000;
const DAY = 86_400_000;

/** The Manila day (YYYY-MM-DD) of an instant. */
export function manilaDay(ms: number): string {
  return new Date(ms + MANILA_OFFSET).toISOString().slice(0, 10);
}
/** The instant a Manila day starts (its midnight). */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - MANILA_OFFSET;
}
export function nextDay(day: string): string {
  return manilaDay(dayStart(day) + DAY);
}
export function addDays(day: string, n: number): string {
  return manilaDay(dayStart(day) + n * DAY);
}

export const REPORT_FILE = /^customer_support_data_(\d{4}-\d{2}-\d{2})\.csv$/;
export function reportFileName(day: string): string {
  return `customer_support_data_${day}.csv`;
}

/**
 * Receipts: once a report is in the warehouse (loaded, or rejected and set aside), the loader leaves
 * `<dir>/received/<report file>` (one line: loaded or rejected) on the server. The desk uploads the next report, which
 * deletes this one, as soon as the receipt is there, instead of waiting its whole interval; a
 * backfill's two years of reports then go as fast as the loader takes them, and none is deleted
 * unread while a loader keeps up.
 */
export const RECEIPT_DIR = 'received';
export function receiptPath(dir: string, reportFile: string): string {
  return `${dir}/${RECEIPT_DIR}/${reportFile}`;
}

/** "2026-01-05 14:03:00": Manila local time, to the second, as the report writes it. */
export function formatTime(ms: number): string {
  return new Date(ms + MANILA_OFFSET).toISOString().slice(0, 19).replace('T', ' ');
}
export function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms - MANILA_OFFSET;
}

/**
 * The rows of `day`'s report: tickets created that day (Resolved if resolved before the day ended,
 * else Pending or In Progress), then older tickets resolved that day. Sorted by creation, then id.
 */
export function reportRows(day: string, tickets: readonly Ticket[]): ReportRow[] {
  const start = dayStart(day);
  const end = start + DAY;
  const rows: ReportRow[] = [];
  for (const t of tickets) {
    const createdToday = t.created_at >= start && t.created_at < end;
    const resolvedToday = t.resolved_at !== null && t.resolved_at >= start && t.resolved_at < end;
    if (!createdToday && !(t.created_at < start && resolvedToday)) continue;
    const resolved = t.resolved_at !== null && t.resolved_at < end;
    rows.push({
      ticket_id: t.ticket_id,
      customer_name: t.customer_name,
      email: t.email,
      phone: t.phone,
      category: t.category,
      description: t.description,
      created_at: t.created_at,
      // Opened tickets not resolved by midnight: In Progress once an agent had an hour with them.
      status: resolved ? 'Resolved' : end - t.created_at > 3_600_000 ? 'In Progress' : 'Pending',
      resolved_at: resolved ? t.resolved_at : null,
    });
  }
  return rows.sort((a, b) => a.created_at - b.created_at || a.ticket_id.localeCompare(b.ticket_id));
}

/** The report's CSV text with its dirt, drawn per (seed, day, ticket). */
export function reportCsv(day: string, rows: readonly ReportRow[], dirt: ReportDirt, seed: number): string {
  const lines = [REPORT_COLUMNS.join(',')];
  for (const row of rows) {
    const rng = supportRng(seed, `dirt ${day}`, row.ticket_id);
    const stale = chance(rng) < dirt.staleStatus;
    const twice = chance(rng) < dirt.duplicate;
    const status: ReportStatus = row.status === 'Resolved' && stale ? 'Pending' : row.status;
    const line = [
      row.ticket_id,
      row.customer_name,
      row.email,
      row.phone,
      row.category,
      row.description,
      formatTime(row.created_at),
      status,
      row.resolved_at === null ? '' : formatTime(row.resolved_at),
    ]
      .map(csvField)
      .join(',');
    lines.push(line);
    if (twice) lines.push(line);
  }
  return lines.join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF); throws on an unterminated quote. */
export function parseCsvRecords(text: string): string[][] {
  return csvRecords(text).map((r) => r.fields);
}

/** A CSV record with its text as it stands in the file (line break excluded). */
export interface CsvRecord {
  fields: string[];
  raw: string;
}

/** Like parseCsvRecords, keeping each record's own text (what a dead letter carries). */
export function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let field = '';
  let record: string[] = [];
  let start = 0;
  let quoted = false;
  let i = 0;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  while (i < body.length) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      const end = i;
      if (c === '\r' && body[i + 1] === '\n') i++;
      record.push(field);
      records.push({ fields: record, raw: body.slice(start, end) });
      record = [];
      field = '';
      start = i + 1;
    } else field += c;
    i++;
  }
  if (quoted) throw new Error('a quoted field is not closed before the end of the file');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push({ fields: record, raw: body.slice(start) });
  }
  return records;
}

/** A report the loader cannot read at all (its header, or its quoting): `field` names what is wrong. */
export class ReportParseError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A line of a report that cannot be read: its number, the field at fault, why, and its text. */
export interface BadLine {
  line: number;
  field: string;
  reason: string;
  raw: string;
}

/** A report's readable rows and its unreadable lines (which go to the dead letters; the rest loads). */
export interface ReadReport {
  rows: ReportRow[];
  bad: BadLine[];
}

/** One record's fields as a row, or the field at fault and why. */
function rowOf(r: string[]): ReportRow | { field: string; what: string } {
  const fault = (field: string, what: string) => ({ field, what });
  if (r.length !== REPORT_COLUMNS.length)
    return fault('field count', `${r.length} fields, expected ${REPORT_COLUMNS.length}`);
  const [id, name, email, phone, category, description, created, status, resolved] = r as [
    string, string, string, string, string, string, string, string, string,
  ]; // prettier-ignore
  if (!/^TKT-[0-9A-F]+$/.test(id))
    return fault('Ticket ID', `Ticket ID ${JSON.stringify(id)} is not TKT-<hex>`);
  if (!(CATEGORIES as readonly string[]).includes(category))
    return fault(
      'Issue Category',
      `Issue Category ${JSON.stringify(category)} is not one of ${CATEGORIES.join(', ')}`,
    );
  if (!(STATUSES as readonly string[]).includes(status))
    return fault(
      'Resolution Status',
      `Resolution Status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}`,
    );
  const createdAt = parseTime(created);
  if (createdAt === undefined)
    return fault('Date Created', `Date Created ${JSON.stringify(created)} is not YYYY-MM-DD HH:MM:SS`);
  const resolvedAt = resolved === '' ? null : parseTime(resolved);
  if (resolvedAt === undefined)
    return fault(
      'Resolution Date',
      `Resolution Date ${JSON.stringify(resolved)} is not YYYY-MM-DD HH:MM:SS or empty`,
    );
  return {
    ticket_id: id,
    customer_name: name,
    email,
    phone,
    category: category as Category,
    description,
    created_at: createdAt,
    status: status as ReportStatus,
    resolved_at: resolvedAt,
  };
}

/**
 * Read a report line by line: a line with the wrong field count, a bad Ticket ID, category, status
 * or date is set aside with the field named, and the others are read. A file whose quoting is broken
 * or whose header is not the report's cannot be read at all: ReportParseError.
 */
export function readReport(text: string): ReadReport {
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (error) {
    throw new ReportParseError((error as Error).message, 'quoting');
  }
  const header = records[0]?.fields;
  if (!header || header.join(',') !== REPORT_COLUMNS.join(',')) {
    throw new ReportParseError(
      `line 1: the header is ${JSON.stringify(header?.join(',') ?? '')}, expected ${JSON.stringify(REPORT_COLUMNS.join(','))}`,
      'header',
    );
  }
  const rows: ReportRow[] = [];
  const bad: BadLine[] = [];
  for (const [index, record] of records.slice(1).entries()) {
    const line = index + 2;
    const r = record.fields;
    if (r.length === 1 && r[0] === '') continue; // a blank line
    const row = rowOf(r);
    if ('what' in row)
      bad.push({ line, field: row.field, reason: `line ${line}: ${row.what}`, raw: record.raw });
    else rows.push(row);
  }
  return { rows, bad };
}

/** Read a report back into rows, strictly: any malformed line makes it unreadable (the reason says where). */
export function parseReport(text: string): ReportRow[] {
  const { rows, bad } = readReport(text);
  const first = bad[0];
  if (first) throw new ReportParseError(first.reason, first.field);
  return rows;
}
