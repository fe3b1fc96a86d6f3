/**
 * Pure roll-ups of a day series (Asia/Manila days) into months, quarters, years and days of the
 * month. Amounts are whole centavos or counts, so sums are exact.
 */
import type { DayWindow } from '../range.ts';

export type DayValues<K extends string> = { day: string } & Record<K, number>;

export type Grain = 'month' | 'quarter' | 'year';

/** The first day of the period of `grain` that `day` falls in. */
export function periodOf(day: string, grain: Grain): string {
  const year = day.slice(0, 4);
  if (grain === 'year') return `${year}-01-01`;
  const month = Number(day.slice(5, 7));
  const first = grain === 'month' ? month : month - ((month - 1) % 3);
  return `${year}-${String(first).padStart(2, '0')}-01`;
}

export function within<T extends { day: string }>(rows: T[], window: DayWindow): T[] {
  return rows.filter((r) => r.day >= window.from && r.day <= window.to);
}

export function sumOf<K extends string>(rows: DayValues<K>[], keys: readonly K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const row of rows) for (const k of keys) out[k] += row[k];
  return out;
}

/** Sum per period, in time order, each row with its period start and the number of days in it. */
export function rollup<K extends string>(
  rows: DayValues<K>[],
  keys: readonly K[],
  grain: Grain,
): ({ period: string; days: number } & Record<K, number>)[] {
  const groups = new Map<string, DayValues<K>[]>();
  for (const row of rows) {
    const key = periodOf(row.day, grain);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(row);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, list]) => ({ period, days: list.length, ...sumOf(list, keys) }));
}

/** Sum per day of the month (1..31), with how many calendar days of that number were summed. */
export function byDayOfMonth<K extends string>(
  rows: DayValues<K>[],
  keys: readonly K[],
): ({ dayOfMonth: number; days: number } & Record<K, number>)[] {
  const out: ({ dayOfMonth: number; days: number } & Record<K, number>)[] = [];
  for (let d = 1; d <= 31; d++) {
    const list = rows.filter((r) => Number(r.day.slice(8, 10)) === d);
    if (list.length > 0) out.push({ dayOfMonth: d, days: list.length, ...sumOf(list, keys) });
  }
  return out;
}
