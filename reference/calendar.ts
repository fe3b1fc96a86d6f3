/**
 * The shop's calendar: which local day an instant falls on, and whether that day is a payday sale
 * day or a month-end sale day. Local time is UTC plus a fixed offset (Asia/Manila has no DST).
 * The generator draws its volume and discounts from these rules; the warehouse's dim_date
 * (warehouse/migrations/003_dim_date.sql) and the dashboard count days in the same zone.
 */

/** The shop's time zone, as PostgreSQL and Intl name it. */
export const SHOP_TIME_ZONE = 'Asia/Manila';
/** Its fixed offset from UTC (no daylight saving time). */
export const SHOP_UTC_OFFSET_MINUTES = 8 * 60;
/** Days of the month with the payday sale. */
export const PAYDAY_DAYS: readonly number[] = [14, 15];
/** How many last days of each month are month-end sale days. */
export const MONTH_END_DAYS = 2;

/** The rules a local day is classified by (the generator's config carries them, defaulting to the above). */
export interface CalendarRules {
  utcOffsetMinutes: number;
  gaps: { paydayDays: readonly number[]; monthEndDays: number };
}

export type DayKind = 'payday' | 'monthEnd' | 'ordinary';

export interface LocalDay {
  /** Local calendar fields. */
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  /** Local hour, 0-23. */
  hour: number;
  kind: DayKind;
  /** UTC ms at which this local day ends (the next local midnight). */
  endsAt: number;
}

const DAY_MS = 86_400_000;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function localDay(t: number, config: CalendarRules): LocalDay {
  const offset = config.utcOffsetMinutes * 60_000;
  const local = new Date(t + offset);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const hour = local.getUTCHours();
  const localMidnight = Date.UTC(year, month - 1, day);
  let kind: DayKind = 'ordinary';
  if (config.gaps.paydayDays.includes(day)) kind = 'payday';
  else if (day > daysInMonth(year, month) - config.gaps.monthEndDays) kind = 'monthEnd';
  return { year, month, day, hour, kind, endsAt: localMidnight + DAY_MS - offset };
}
