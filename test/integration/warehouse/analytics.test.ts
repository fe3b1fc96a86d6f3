/**
 * Each analytics view against an independent computation in TypeScript over the seeded dataset of
 * metrics-sample.ts (seed 42, 600 orders over the last ~120 days). Money is compared to the
 * centavo, ratios at the view's own rounding (computed here with exact integer arithmetic).
 */
import { describe, expect, it } from 'vitest';
import { data, DAY, delivered, items, lineCost, now, orders, sampleSchema } from './metrics-sample.ts';
import { cents, groupBy, manilaDay, money, monthOf, norm, ratio, sum } from './view-math.ts';

const rows = sampleSchema('analytics');

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
