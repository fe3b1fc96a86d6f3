import { OrderflowError } from '../common/errors.ts';

/**
 * Date-range filters of the dashboard. Every range ends at the "as of" day (the newest order's
 * Asia/Manila day, so a historical dataset is as readable as a live one) and is compared with the
 * same span of the period before it: last 30 days against the 30 days before, month-to-date against
 * the same days of the previous month, and so on. Days are ISO dates ("2026-03-14"), inclusive.
 */
export const RANGE_NAMES = ['last30', 'month', 'quarter', 'year', 'all'] as const;
export type RangeName = (typeof RANGE_NAMES)[number];

export const RANGE_LABELS: Record<RangeName, string> = {
  last30: 'Last 30 days',
  month: 'Month to date',
  quarter: 'Quarter to date',
  year: 'Year to date',
  all: 'All time',
};

export interface DayWindow {
  from: string;
  to: string;
}

export interface RangeWindow extends DayWindow {
  name: RangeName;
  label: string;
  /** The same span one period earlier; null for "all". */
  previous: DayWindow | null;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseRangeName(value: unknown): RangeName {
  if (value === undefined || value === null || value === '') return 'last30';
  if (typeof value === 'string' && (RANGE_NAMES as readonly string[]).includes(value))
    return value as RangeName;
  throw new OrderflowError(
    'ORDERFLOW_USAGE',
    `range=${JSON.stringify(value)} is not one of ${RANGE_NAMES.join(', ')} (default last30)`,
  );
}

/** A province filter is an ISO 3166-2 code of the Philippines (PH-CEB; PH-00 is Metro Manila), or none. */
export function parseProvince(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && /^PH-[A-Z0-9]{2,3}$/.test(value)) return value;
  throw new OrderflowError(
    'ORDERFLOW_USAGE',
    `province=${JSON.stringify(value)} is not a province code like PH-CEB (PH-00 = Metro Manila)`,
  );
}

export function parseDay(value: unknown, what: string): string {
  if (typeof value === 'string' && ISO_DAY.test(value) && toDate(value).toISOString().startsWith(value))
    return value;
  throw new OrderflowError(
    'ORDERFLOW_USAGE',
    `${what}=${JSON.stringify(value)} is not a date like 2026-03-14`,
  );
}

function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + days);
  return toDay(d);
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toDate(b).getTime() - toDate(a).getTime()) / 86_400_000);
}

/** First day of the month/quarter/year containing `day`, shifted by `back` whole periods. */
function periodStart(day: string, months: number, back: number): string {
  const d = toDate(day);
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const start = monthIndex - (monthIndex % months) - back * months;
  return toDay(new Date(Date.UTC(Math.floor(start / 12), start % 12, 1)));
}

/**
 * The window of `name` ending at `asOf`; `firstDay` (the oldest order's day) bounds "all".
 * A to-date period is compared with the previous period's first N days (N = days elapsed), capped
 * at that period's end (March 31 is compared with the whole of February).
 */
export function rangeWindow(name: RangeName, asOf: string, firstDay: string): RangeWindow {
  const label = RANGE_LABELS[name];
  if (name === 'all')
    return { name, label, from: firstDay < asOf ? firstDay : asOf, to: asOf, previous: null };
  if (name === 'last30') {
    return {
      name,
      label,
      from: addDays(asOf, -29),
      to: asOf,
      previous: { from: addDays(asOf, -59), to: addDays(asOf, -30) },
    };
  }
  const months = name === 'month' ? 1 : name === 'quarter' ? 3 : 12;
  const from = periodStart(asOf, months, 0);
  const prevFrom = periodStart(asOf, months, 1);
  const prevEnd = addDays(from, -1);
  const sameSpan = addDays(prevFrom, daysBetween(from, asOf));
  return {
    name,
    label,
    from,
    to: asOf,
    previous: { from: prevFrom, to: sameSpan < prevEnd ? sameSpan : prevEnd },
  };
}

/** Every day of a window, in order. */
export function daysOf(window: DayWindow): string[] {
  const out: string[] = [];
  for (let d = window.from; d <= window.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Change from `previous` to `current` in percent (two decimals), null when there is no base. */
export function changePercent(current: number, previous: number | null): number | null {
  if (previous === null || previous === 0) return null;
  return Math.round((current / previous - 1) * 10000) / 100;
}
