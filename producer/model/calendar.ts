/**
 * The shop's calendar: which local day an instant falls on, and whether that day is a payday sale
 * day or a month-end sale day. Local time is UTC plus a fixed offset (Asia/Manila has no DST).
 */
import type { GeneratorConfig } from '../config.ts';

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

export function localDay(t: number, config: Pick<GeneratorConfig, 'utcOffsetMinutes' | 'gaps'>): LocalDay {
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
