/**
 * The seeded dataset (seed 42, 600 orders over the last ~120 days) the metric and analytics view tests
 * load into a fresh schema, and the exact helpers that compute each view again in TypeScript.
 */
import { afterAll, beforeAll } from 'vitest';
import { toCents } from '../../../common/money.ts';
import type { OrderItems, Orders } from '../../../schemas/types.generated.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { sampleData, type SampleData } from '../../../warehouse/sample-data.ts';
import { freshSchema, type FreshSchema } from './fresh-schema.ts';

export const DAY = 86_400_000;
export const now = Date.now();
export const data: SampleData = sampleData({
  seed: 42,
  orders: 600,
  start: Math.floor((now - 120 * DAY) / 3_600_000) * 3_600_000,
  days: 118,
  customers: 150,
  moveRate: 0.2,
});

// ---- exact helpers -------------------------------------------------------------------------------
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

export const cost = new Map(data.products.map((p) => [p.sku, toCents(p.cost)]));
// The sample fills these fields on every row (the landing schema allows null; the sample never uses it).
export type LandedOrder = Orders & {
  order_id: string;
  order_date: number;
  customer_id: string;
  provincial_code: string;
  order_status: string;
  order_total: string;
};
export type LandedItem = OrderItems & {
  item_id: string;
  order_id: string;
  order_date: number;
  order_status: string;
  sku: number;
  category: string;
  quantity: number;
  subtotal: string;
};
export const orders = data.orders as LandedOrder[];
export const items = data.items as LandedItem[];
export const delivered = (o: { order_status: string | null }) => o.order_status === 'DELIVERED';
export const lineCost = (i: OrderItems) => i.quantity! * cost.get(i.sku!)!;
export const cents = (s: string | null) => toCents(s!);

/**
 * A fresh schema with the sample loaded and dim_date refreshed, for the calling test file (registers
 * its own set-up and teardown); `rows(sql)` queries it.
 */
export function sampleSchema(label: string) {
  let db: FreshSchema;
  beforeAll(async () => {
    db = await freshSchema(label);
    await loadSample(db.client, data);
    await db.client.query('select refresh_dim_date()');
  });
  afterAll(async () => {
    await db?.drop();
  });
  return async <T = Record<string, unknown>>(sql: string) => (await db.client.query(sql)).rows as T[];
}
