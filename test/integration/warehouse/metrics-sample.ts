/**
 * The seeded dataset (seed 42, 600 orders over the last ~120 days) the metric and analytics view tests
 * load into a fresh schema, and the order facts the view checks compute from (view-math.ts holds
 * the arithmetic).
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
