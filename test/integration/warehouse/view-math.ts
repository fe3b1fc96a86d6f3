/**
 * Exact arithmetic for checking warehouse views in TypeScript: Manila days, PostgreSQL's numeric
 * rounding on integers, money in centavos, grouping.
 */
import { toCents } from '../../../common/money.ts';

/** Asia/Manila calendar day (UTC+8, no daylight saving) of a UTC instant. */
export const manilaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
export const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
/** round(num/den, scale), half away from zero, as a fixed string: PostgreSQL's numeric round. */
export function ratio(num: bigint | number, den: bigint | number, scale: number): string | null {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n && n !== 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const factor = 10n ** BigInt(scale);
  let q = (an * factor) / ad;
  if (((an * factor) % ad) * 2n >= ad) q += 1n;
  const s = q.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
export const money = (cents: number | bigint) => ratio(cents, 100, 2)!;
export const norm = (v: unknown, scale = 2) =>
  v === null || v === undefined ? null : Number(v).toFixed(scale);
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
export const cents = (s: string | null) => toCents(s!);
