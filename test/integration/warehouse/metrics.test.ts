/**
 * Each metric and analytics view against an independent computation in TypeScript over the same
 * seeded dataset (seed 42, 600 orders over the last ~120 days). Money is compared to the centavo,
 * ratios at the view's own rounding (computed here with exact integer arithmetic); average hours
 * are compared within 0.011 h (one unit of the view's 2-decimal rounding).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCents } from '../../../common/money.ts';
import type { OrderItems, Orders } from '../../../schemas/types.generated.ts';
import { loadSample } from '../../../warehouse/sample-load.ts';
import { sampleData, type SampleData } from '../../../warehouse/sample-data.ts';
import { freshSchema, type FreshSchema } from './fresh-schema.ts';

const DAY = 86_400_000;
const now = Date.now();
const data: SampleData = sampleData({
  seed: 42,
  orders: 600,
  start: Math.floor((now - 120 * DAY) / 3_600_000) * 3_600_000,
  days: 118,
  customers: 150,
  moveRate: 0.2,
});

// ---- exact helpers -------------------------------------------------------------------------------
/** Asia/Manila calendar day (UTC+8, no daylight saving) of a UTC instant. */
const manilaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
/** round(num/den, scale), half away from zero, as a fixed string: PostgreSQL's numeric round. */
function ratio(num: bigint | number, den: bigint | number, scale: number): string | null {
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
const money = (cents: number | bigint) => ratio(cents, 100, 2)!;
const norm = (v: unknown, scale = 2) => (v === null || v === undefined ? null : Number(v).toFixed(scale));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

const cost = new Map(data.products.map((p) => [p.sku, toCents(p.cost)]));
// The sample fills these fields on every row (the landing schema allows null; the sample never uses it).
type LandedOrder = Orders & {
  order_id: string;
  order_date: number;
  customer_id: string;
  provincial_code: string;
  order_status: string;
  order_total: string;
};
type LandedItem = OrderItems & {
  item_id: string;
  order_id: string;
  order_date: number;
  order_status: string;
  sku: number;
  category: string;
  quantity: number;
  subtotal: string;
};
const orders = data.orders as LandedOrder[];
const items = data.items as LandedItem[];
const delivered = (o: { order_status: string | null }) => o.order_status === 'DELIVERED';
const lineCost = (i: OrderItems) => i.quantity! * cost.get(i.sku!)!;
const cents = (s: string | null) => toCents(s!);

let db: FreshSchema;
const rows = async <T = Record<string, unknown>>(sql: string) => (await db.client.query(sql)).rows as T[];

beforeAll(async () => {
  db = await freshSchema('metrics');
  await loadSample(db.client, data);
  await db.client.query('select refresh_dim_date()');
});
afterAll(async () => {
  await db?.drop();
});

describe('metric views match an independent computation', () => {
  it('dataset sanity: every outcome and a mover occur', () => {
    const statuses = new Set(orders.map((o) => o.order_status));
    expect([...statuses].sort()).toEqual(['CANCELLED', 'DELIVERED', 'RETURNED', 'TIMED_OUT']);
  });

  it('metric_revenue_profit: revenue, COGS and profit per Manila day', async () => {
    const got = await rows(
      'select day::text, delivered_orders, units, revenue, cogs, profit, gross_margin_percent from metric_revenue_profit',
    );
    const days = new Set(orders.map((o) => manilaDay(o.order_date)));
    const first = [...days].sort()[0]!;
    const last = [...days].sort().at(-1)!;
    expect(got.length).toBe((Date.parse(last) - Date.parse(first)) / DAY + 1);
    const byDay = groupBy(items.filter(delivered), (i) => manilaDay(i.order_date));
    for (const r of got) {
      const lines = byDay.get(r.day as string) ?? [];
      const revenue = sum(lines.map((i) => cents(i.subtotal)));
      const cogs = sum(lines.map(lineCost));
      expect([
        r.day,
        Number(r.delivered_orders),
        Number(r.units),
        norm(r.revenue),
        norm(r.cogs),
        norm(r.profit),
      ]).toEqual([
        r.day,
        new Set(lines.map((i) => i.order_id)).size,
        sum(lines.map((i) => i.quantity)),
        money(revenue),
        money(cogs),
        money(revenue - cogs),
      ]);
      expect(r.gross_margin_percent).toBe(ratio((revenue - cogs) * 100, revenue, 2));
    }
  });

  it('metric_revenue_profit_periods: month totals and month-over-month change', async () => {
    const got = await rows<{
      period_start: string;
      revenue: string;
      profit: string;
      revenue_change_percent: string | null;
    }>(
      `select period_start::text, revenue, profit, revenue_change_percent from metric_revenue_profit_periods
        where grain = 'month' order by period_start`,
    );
    const byMonth = groupBy(items.filter(delivered), (i) => monthOf(manilaDay(i.order_date)));
    const months = [...new Set(orders.map((o) => monthOf(manilaDay(o.order_date))))].sort();
    expect(got.map((r) => r.period_start)).toEqual(months);
    let previous: number | null = null;
    for (const r of got) {
      const lines = byMonth.get(r.period_start) ?? [];
      const revenue = sum(lines.map((i) => cents(i.subtotal)));
      expect(norm(r.revenue)).toBe(money(revenue));
      expect(norm(r.profit)).toBe(money(revenue - sum(lines.map(lineCost))));
      expect(r.revenue_change_percent).toBe(
        previous === null ? null : ratio((revenue - previous) * 100, previous, 2),
      );
      previous = revenue;
    }
    const year = await rows(
      `select sum(revenue) as r from metric_revenue_profit_periods where grain = 'year'`,
    );
    expect(norm(year[0]!.r)).toBe(money(sum(items.filter(delivered).map((i) => cents(i.subtotal)))));
  });

  it('metric_orders: counts by outcome and AOV per day', async () => {
    const got = await rows('select * , day::text as d from metric_orders where orders > 0');
    const byDay = groupBy(orders, (o) => manilaDay(o.order_date));
    expect(got.length).toBe(byDay.size);
    for (const r of got) {
      const os = byDay.get(r.d as string)!;
      const del = os.filter(delivered);
      const total = sum(del.map((o) => cents(o.order_total)));
      const count = (s: string) => os.filter((o) => o.order_status === s).length;
      expect(
        [r.d, r.orders, r.delivered, r.cancelled, r.returned, r.timed_out, r.failed].map(String),
      ).toEqual(
        [
          r.d,
          os.length,
          del.length,
          count('CANCELLED'),
          count('RETURNED'),
          count('TIMED_OUT'),
          os.length - del.length,
        ].map(String),
      );
      expect(norm(r.revenue)).toBe(money(total));
      expect(r.aov).toBe(ratio(total, del.length * 100, 2));
    }
  });

  it('metric_customers and metric_customers_summary: repeat rate and revenue shares', async () => {
    const byCustomer = groupBy(orders, (o) => o.customer_id);
    const got = await rows(
      'select customer_id, orders, delivered_orders, revenue, is_repeat, first_order_day::text from metric_customers',
    );
    expect(got.length).toBe(byCustomer.size);
    for (const r of got) {
      const os = byCustomer.get(r.customer_id as string)!;
      expect([
        Number(r.orders),
        Number(r.delivered_orders),
        norm(r.revenue),
        r.is_repeat,
        r.first_order_day,
      ]).toEqual([
        os.length,
        os.filter(delivered).length,
        money(sum(os.filter(delivered).map((o) => cents(o.order_total)))),
        os.length >= 2,
        manilaDay(Math.min(...os.map((o) => o.order_date))),
      ]);
    }
    const revenueOf = [...byCustomer.values()].map((os) =>
      sum(os.filter(delivered).map((o) => cents(o.order_total))),
    );
    const repeatRevenue = sum(
      [...byCustomer.values()]
        .filter((os) => os.length >= 2)
        .map((os) => sum(os.filter(delivered).map((o) => cents(o.order_total)))),
    );
    const total = sum(revenueOf);
    const top10 = sum([...revenueOf].sort((a, b) => b - a).slice(0, 10));
    const repeaters = [...byCustomer.values()].filter((os) => os.length >= 2).length;
    const [s] = await rows('select * from metric_customers_summary');
    expect([
      Number(s!.customers),
      Number(s!.repeat_customers),
      s!.repeat_rate,
      s!.repeat_revenue_share,
      s!.top10_revenue_share,
    ]).toEqual([
      byCustomer.size,
      repeaters,
      ratio(repeaters, byCustomer.size, 4),
      ratio(repeatRevenue, total, 4),
      ratio(top10, total, 4),
    ]);
    expect(repeaters).toBeGreaterThan(10); // the dataset does exercise repeat customers

    const firstMonth = groupBy([...byCustomer.values()], (os) =>
      monthOf(manilaDay(Math.min(...os.map((o) => o.order_date)))),
    );
    const monthly = await rows(
      'select month_start::text as m, new_customers from metric_new_customers_monthly order by 1',
    );
    expect(monthly.map((r) => [r.m, Number(r.new_customers)])).toEqual(
      [...firstMonth.entries()].sort().map(([m, cs]) => [m, cs.length]),
    );
  });

  it('metric_items: units, revenue, COGS and profit per SKU', async () => {
    const got = await rows('select sku, orders, units, revenue, cogs, profit from metric_items');
    expect(got.length).toBe(data.products.length);
    const bySku = groupBy(items.filter(delivered), (i) => String(i.sku));
    for (const r of got) {
      const lines = bySku.get(String(r.sku)) ?? [];
      const revenue = sum(lines.map((i) => cents(i.subtotal)));
      const c = sum(lines.map(lineCost));
      expect([Number(r.orders), Number(r.units), norm(r.revenue), norm(r.cogs), norm(r.profit)]).toEqual([
        lines.length,
        sum(lines.map((i) => i.quantity)),
        money(revenue),
        money(c),
        money(revenue - c),
      ]);
    }
  });

  it('metric_basket_pairs: support, confidence and lift over all orders', async () => {
    const baskets = [...groupBy(items, (i) => i.order_id).values()].map((ls) => ls.map((i) => i.sku));
    const n = baskets.length;
    const single = new Map<number, number>();
    const pairs = new Map<string, number>();
    for (const b of baskets) {
      for (const s of b) single.set(s, (single.get(s) ?? 0) + 1);
      for (const a of b)
        for (const c of b) if (a < c) pairs.set(`${a}-${c}`, (pairs.get(`${a}-${c}`) ?? 0) + 1);
    }
    const got = await rows(
      'select sku_a, sku_b, orders_together, support, confidence_a_to_b, confidence_b_to_a, lift from metric_basket_pairs',
    );
    expect(got.length).toBe(pairs.size);
    for (const r of got) {
      const a = Number(r.sku_a);
      const b = Number(r.sku_b);
      const together = pairs.get(`${a}-${b}`)!;
      expect([
        Number(r.orders_together),
        r.support,
        r.confidence_a_to_b,
        r.confidence_b_to_a,
        r.lift,
      ]).toEqual([
        together,
        ratio(together, n, 6),
        ratio(together, single.get(a)!, 6),
        ratio(together, single.get(b)!, 6),
        ratio(together * n, single.get(a)! * single.get(b)!, 4),
      ]);
    }
    // The sample's (k, k+1) affinity shows up as lift well above 1 for adjacent SKUs on average.
    const adjacent = got.filter((r) => Number(r.sku_b) === Number(r.sku_a) + 1).map((r) => Number(r.lift));
    expect(sum(adjacent) / adjacent.length).toBeGreaterThan(2);
  });

  it('metric_payment_delivery: method and express split, on-time rate, hours per step', async () => {
    const got = await rows('select *, day::text as d from metric_payment_delivery where orders > 0');
    const byDay = groupBy(orders, (o) => manilaDay(o.order_date));
    const hours = (ms: number[]) => (ms.length ? sum(ms) / ms.length / 3_600_000 : null);
    expect(got.length).toBe(byDay.size);
    for (const r of got) {
      const os = byDay.get(r.d as string)!;
      const del = os.filter(delivered);
      const onTime = del.filter((o) => o.finished_date! <= o.eta! + 24 * 3_600_000).length;
      const m = (x: string) => os.filter((o) => o.payment_method === x).length;
      expect(
        [
          r.paid,
          r.credit_card,
          r.bank_transfer,
          r.digital_wallet,
          r.express,
          r.delivered,
          r.delivered_on_time,
        ].map(Number),
      ).toEqual([
        os.filter((o) => o.payment_date !== null).length,
        m('CREDIT_CARD'),
        m('BANK_TRANSFER'),
        m('DIGITAL_WALLET'),
        os.filter((o) => o.express_shipping).length,
        del.length,
        onTime,
      ]);
      expect(r.on_time_rate).toBe(ratio(onTime, del.length, 4));
      const paid = os.filter((o) => o.payment_date !== null);
      const shipped = os.filter((o) => o.shipped_date !== null);
      const expected = [
        hours(paid.map((o) => o.payment_date! - o.order_date)),
        hours(shipped.map((o) => o.shipped_date! - o.payment_date!)),
        hours(del.map((o) => o.finished_date! - o.shipped_date!)),
      ];
      const actual = [r.avg_hours_to_pay, r.avg_hours_to_ship, r.avg_hours_to_deliver];
      expected.forEach((e, i) => {
        if (e === null) expect(actual[i]).toBeNull();
        else expect(Math.abs(Number(actual[i]) - e)).toBeLessThan(0.011);
      });
    }
  });

  it('metric_failure_funnel: entered and failed per stage and reason', async () => {
    const got = await rows<{ stage: string; failure_reason: string | null; entered: string; failed: string }>(
      'select stage, failure_reason, entered, failed from metric_failure_funnel',
    );
    const entered: Record<string, number> = {
      payment: orders.length,
      shipping: orders.filter((o) => o.payment_date !== null).length,
      delivery: orders.filter((o) => o.shipped_date !== null).length,
    };
    const expected = new Map<string, [number, number]>();
    for (const stage of Object.keys(entered)) expected.set(`${stage}|`, [entered[stage]!, 0]);
    for (const o of orders.filter((x) => x.failure_stage)) {
      for (const key of [`${o.failure_stage}|`, `${o.failure_stage}|${o.failure_reason}`]) {
        const [e, f] = expected.get(key) ?? [entered[o.failure_stage!]!, 0];
        expected.set(key, [e, f + 1]);
      }
    }
    expect(
      new Map(
        got.map((r) => [`${r.stage}|${r.failure_reason ?? ''}`, [Number(r.entered), Number(r.failed)]]),
      ),
    ).toEqual(expected);
  });

  it('metric_location: orders, customers and revenue per province', async () => {
    const got = await rows('select * from metric_location');
    const byProvince = groupBy(orders, (o) => o.provincial_code);
    expect(got.length).toBe(byProvince.size);
    for (const r of got) {
      const os = byProvince.get(r.provincial_code as string)!;
      const revenue = sum(os.filter(delivered).map((o) => cents(o.order_total)));
      expect([Number(r.orders), Number(r.delivered_orders), Number(r.customers), norm(r.revenue)]).toEqual([
        os.length,
        os.filter(delivered).length,
        new Set(os.map((o) => o.customer_id)).size,
        money(revenue),
      ]);
      if (r.provincial_code === 'PH-00') expect(r.province_name).toBe('Metro Manila');
    }
  });
});

describe('analytics views match an independent computation', () => {
  it('monthly sales per category per province', async () => {
    const got = await rows(
      'select month_start::text as m, category, provincial_code, units, revenue from analytics_monthly_category_province_sales',
    );
    const province = new Map(orders.map((o) => [o.order_id, o.provincial_code]));
    const groups = groupBy(
      items.filter(delivered),
      (i) => `${monthOf(manilaDay(i.order_date))}|${i.category}|${province.get(i.order_id)}`,
    );
    expect(
      new Map(
        got.map((r) => [`${r.m}|${r.category}|${r.provincial_code}`, [Number(r.units), norm(r.revenue)]]),
      ),
    ).toEqual(
      new Map(
        [...groups].map(([k, ls]) => [
          k,
          [sum(ls.map((i) => i.quantity)), money(sum(ls.map((i) => cents(i.subtotal))))],
        ]),
      ),
    );
  });

  it('top repeat customers in the last 30 days', async () => {
    const since = manilaDay(now - 29 * DAY);
    const recent = groupBy(
      orders.filter((o) => manilaDay(o.order_date) >= since),
      (o) => o.customer_id,
    );
    const expected = new Map([...recent].filter(([, os]) => os.length >= 2).map(([c, os]) => [c, os.length]));
    const got = await rows('select customer_id, orders from analytics_top_repeat_customers_30d');
    expect(new Map(got.map((r) => [r.customer_id, Number(r.orders)]))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
  });

  it('customers who ordered from more than one province', async () => {
    const expected = new Map(
      [...groupBy(orders, (o) => o.customer_id)]
        .map(([c, os]) => [c, [...new Set(os.map((o) => o.provincial_code))].sort()] as const)
        .filter(([, ps]) => ps.length > 1),
    );
    const got = await rows<{ customer_id: string; provincial_codes: string[] }>(
      'select customer_id, provincial_codes from analytics_multi_province_customers',
    );
    expect(new Map(got.map((r) => [r.customer_id, r.provincial_codes]))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
  });

  it('product performance: units, revenue, average price paid and margin', async () => {
    const got = await rows(
      'select sku, units, revenue, avg_price_paid, margin_percent from analytics_product_performance',
    );
    const bySku = groupBy(items.filter(delivered), (i) => String(i.sku));
    expect(got.length).toBe(data.products.length);
    for (const r of got) {
      const ls = bySku.get(String(r.sku)) ?? [];
      const revenue = sum(ls.map((i) => cents(i.subtotal)));
      const units = sum(ls.map((i) => i.quantity));
      expect([Number(r.units), norm(r.revenue), r.avg_price_paid, r.margin_percent]).toEqual([
        units,
        money(revenue),
        ratio(revenue, units * 100, 2),
        ratio((revenue - sum(ls.map(lineCost))) * 100, revenue, 2),
      ]);
    }
  });

  it('day-of-month profile: orders, calendar days and AOV', async () => {
    const got = await rows('select * from analytics_day_of_month_profile order by day_of_month');
    const days = [...new Set(orders.map((o) => manilaDay(o.order_date)))].sort();
    const calendar: string[] = [];
    for (let t = Date.parse(days[0]!); t <= Date.parse(days.at(-1)!); t += DAY)
      calendar.push(new Date(t).toISOString().slice(0, 10));
    const dom = (d: string) => Number(d.slice(8, 10));
    for (const r of got) {
      const os = orders.filter((o) => dom(manilaDay(o.order_date)) === r.day_of_month);
      const del = os.filter(delivered);
      expect([Number(r.calendar_days), Number(r.orders), r.aov]).toEqual([
        calendar.filter((d) => dom(d) === r.day_of_month).length,
        os.length,
        ratio(sum(del.map((o) => cents(o.order_total))), del.length * 100, 2),
      ]);
    }
    expect(got.length).toBe(31);
  });
});
