/**
 * Each metric and analytics view against an independent computation in TypeScript over the same
 * seeded dataset (seed 42, 600 orders over the last ~120 days). Money is compared to the centavo,
 * ratios at the view's own rounding (computed here with exact integer arithmetic); average hours
 * are compared within 0.011 h (one unit of the view's 2-decimal rounding).
 */
import { describe, expect, it } from 'vitest';
import { data, DAY, delivered, items, lineCost, orders, sampleSchema } from './metrics-sample.ts';
import { cents, groupBy, manilaDay, money, monthOf, norm, ratio, sum } from './view-math.ts';

const rows = sampleSchema('metrics');

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
