/**
 * The dashboard's JSON API against PostgreSQL seeded with two years of landing rows (the
 * warehouse's sample data over the generator's catalogue and locations) in a unique schema. Every
 * figure is checked against an independent SQL computation over the landing tables (orders,
 * order_items, products), not the warehouse views the API reads.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import { rangeWindow, type RangeName } from '../../../dashboard/range.ts';
import { TABS, buildDashboard } from '../../../dashboard/server.ts';
import { NO_DATA_MESSAGE, WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { seededDashboard, type SeededDashboard } from './seeded-dashboard.ts';
import { databaseUrl, seededWarehouse } from './seeded-warehouse.ts';

const log = createLogger('dashboard-test', 'warn');

/** Orders placed on Manila days $1..$2, optionally in province $3 (landing table only). */
const IN_WINDOW = `(o.order_date at time zone 'Asia/Manila')::date between $1::date and $2::date
                   and ($3::text is null or o.provincial_code = $3::text)`;

async function one<T>(client: pg.Client, sql: string, params: unknown[]): Promise<T> {
  return (await client.query(sql, params)).rows[0] as T;
}

/**
 * A line's unit cost in force at its order time, straight from the landed price changes: the last
 * change at or before the order (the first one before the schedule starts), the catalogue's cost for
 * a SKU without price history.
 */
const COST_AT_ORDER = `coalesce(
  (select c.cost from shop_price_changes c where c.sku = i.sku and c.effective_at <= i.order_date
    order by c.effective_at desc limit 1),
  (select c.cost from shop_price_changes c where c.sku = i.sku order by c.effective_at limit 1),
  p.cost)`;

/** Revenue, COGS and delivered orders straight from the landing tables. */
async function expectedSales(client: pg.Client, from: string, to: string, province: string | null) {
  const r = await one<{ revenue: string | null; cogs: string | null; delivered: string }>(
    client,
    `select sum(i.subtotal) as revenue, sum(i.quantity * ${COST_AT_ORDER}) as cogs, count(distinct o.order_id) as delivered
       from orders o
       join order_items i on i.order_id = o.order_id
       join products p on p.sku = i.sku
      where o.order_status = 'DELIVERED' and ${IN_WINDOW}`,
    [from, to, province],
  );
  const revenue = Number(r.revenue ?? 0);
  const cogs = Number(r.cogs ?? 0);
  return { revenue, cogs, profit: revenue - cogs, delivered: Number(r.delivered) };
}

describe('dashboard API on a seeded two-year warehouse', () => {
  let dash: SeededDashboard;

  async function get(url: string) {
    const response = await dash.app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  }

  beforeAll(async () => {
    dash = await seededDashboard('api', { orders: 4000, seed: 777 });
  });

  afterAll(async () => {
    await dash?.close();
  });

  it('meta reports the data span and the provinces', async () => {
    const { status, body } = await get('/api/meta');
    expect(status).toBe(200);
    expect(body).toMatchObject({ empty: false, firstDay: dash.firstDay, asOf: dash.asOf, orders: 4000 });
    const provinces = await one<{ n: string }>(
      dash.wh.client,
      'select count(distinct provincial_code) as n from orders',
      [],
    );
    expect(body.provinces).toHaveLength(Number(provinces.n));
    expect(body.provinces.find((p: { code: string }) => p.code === 'PH-00')?.name).toBe('Metro Manila');
  });

  const cases: [RangeName, string | null][] = [
    ['last30', null],
    ['quarter', null],
    ['year', 'PH-00'],
    ['all', null],
    ['all', 'PH-CEB'],
  ];

  for (const [range, province] of cases) {
    const q = `range=${range}${province ? `&province=${province}` : ''}`;

    it(`revenue, profit, margin and AOV (${q}) equal the landing tables`, async () => {
      const { status, body } = await get(`/api/revenue?${q}`);
      expect(status).toBe(200);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      expect(body.range).toMatchObject({ from: w.from, to: w.to });
      const e = await expectedSales(dash.wh.client, w.from, w.to, province);
      expect(e.delivered).toBeGreaterThan(0);
      expect(body.tiles.revenue.value).toBeCloseTo(e.revenue, 2);
      expect(body.tiles.cogs.value).toBeCloseTo(e.cogs, 2);
      expect(body.tiles.profit.value).toBeCloseTo(e.profit, 2);
      expect(body.tiles.deliveredOrders.value).toBe(e.delivered);
      expect(body.tiles.aov.value).toBeCloseTo(e.revenue / e.delivered, 2);
      expect(body.tiles.grossMarginPercent.value).toBeCloseTo((e.profit / e.revenue) * 100, 2);
      if (w.previous) {
        const p = await expectedSales(dash.wh.client, w.previous.from, w.previous.to, province);
        expect(body.tiles.revenue.previous).toBeCloseTo(p.revenue, 2);
        if (p.revenue > 0)
          expect(body.tiles.revenue.changePercent).toBeCloseTo((e.revenue / p.revenue - 1) * 100, 1);
      } else {
        expect(body.tiles.revenue.previous).toBeNull();
      }
      // The series add up to the tiles, and the day series covers every day of the range.
      const sum = (rows: { revenue: number }[]) => rows.reduce((a, r) => a + r.revenue, 0);
      expect(sum(body.daily)).toBeCloseTo(e.revenue, 1);
      expect(sum(body.monthly)).toBeCloseTo(e.revenue, 1);
      expect(sum(body.byDayOfMonth)).toBeCloseTo(e.revenue, 1);
      expect(body.daily[0].day).toBe(w.from);
      expect(body.daily.at(-1).day).toBe(w.to);
      const all = await expectedSales(dash.wh.client, dash.firstDay, dash.asOf, province);
      expect(sum(body.yearly)).toBeCloseTo(all.revenue, 1);
      expect(sum(body.quarterly)).toBeCloseTo(all.revenue, 1);
    });

    it(`orders and AOV (${q}) equal the landing tables`, async () => {
      const { body } = await get(`/api/orders?${q}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      const e = await one<{ orders: string; delivered: string; failed: string; revenue: string | null }>(
        dash.wh.client,
        `select count(*) as orders,
                count(*) filter (where o.order_status = 'DELIVERED') as delivered,
                count(*) filter (where o.failure_stage is not null) as failed,
                sum(o.order_total) filter (where o.order_status = 'DELIVERED') as revenue
           from orders o where ${IN_WINDOW}`,
        [w.from, w.to, province],
      );
      expect(body.tiles.orders.value).toBe(Number(e.orders));
      expect(body.tiles.delivered.value).toBe(Number(e.delivered));
      expect(body.tiles.failed.value).toBe(Number(e.failed));
      expect(body.tiles.aov.value).toBeCloseTo(Number(e.revenue) / Number(e.delivered), 2);
      const statuses = body.statuses.reduce((a: number, s: { orders: number }) => a + s.orders, 0);
      expect(statuses).toBe(Number(e.orders));
    });

    it(`customers and repeat rate (${q}) equal the landing tables`, async () => {
      const { body } = await get(`/api/customers?${q}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      const e = await one<{ customers: string; repeaters: string; new_customers: string }>(
        dash.wh.client,
        `with per as (select o.customer_id, count(*) as n from orders o where ${IN_WINDOW} group by 1)
         select count(*) as customers, count(*) filter (where n >= 2) as repeaters,
                count(*) filter (where (select min(x.order_date) from orders x where x.customer_id = per.customer_id)
                                       >= ($1::date)::timestamp at time zone 'Asia/Manila') as new_customers
           from per`,
        [w.from, w.to, province],
      );
      expect(body.tiles.customers.value).toBe(Number(e.customers));
      expect(body.tiles.newCustomers.value).toBe(Number(e.new_customers));
      expect(body.tiles.repeatRate.value).toBeCloseTo(Number(e.repeaters) / Number(e.customers), 4);
      expect(body.repeatCustomers).toBe(Number(e.repeaters));
      expect(body.topCustomers.length).toBe(Math.min(10, Number(e.customers)));
    });

    it(`on-time rate, time to pay and failure rate by stage (${q}) equal the landing tables`, async () => {
      const { body } = await get(`/api/payment-delivery?${q}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      const e = await one<{
        delivered: string;
        on_time: string;
        hours_to_pay: string;
        entered_payment: string;
        entered_shipping: string;
        entered_delivery: string;
        failed_payment: string;
        failed_shipping: string;
        failed_delivery: string;
      }>(
        dash.wh.client,
        `select count(*) filter (where o.order_status = 'DELIVERED') as delivered,
                count(*) filter (where o.order_status = 'DELIVERED' and o.finished_date <= o.eta + interval '24 hours') as on_time,
                avg(extract(epoch from o.payment_date - o.order_date) / 3600) as hours_to_pay,
                count(*) as entered_payment,
                count(*) filter (where o.payment_date is not null) as entered_shipping,
                count(*) filter (where o.shipped_date is not null) as entered_delivery,
                count(*) filter (where o.failure_stage = 'payment') as failed_payment,
                count(*) filter (where o.failure_stage = 'shipping') as failed_shipping,
                count(*) filter (where o.failure_stage = 'delivery') as failed_delivery
           from orders o where ${IN_WINDOW}`,
        [w.from, w.to, province],
      );
      expect(body.tiles.onTimeRate.value).toBeCloseTo(Number(e.on_time) / Number(e.delivered), 4);
      expect(body.tiles.avgHoursToPay.value).toBeCloseTo(Number(e.hours_to_pay), 2);
      expect(body.funnel.map((s: { stage: string }) => s.stage)).toEqual(['payment', 'shipping', 'delivery']);
      for (const s of body.funnel as {
        stage: string;
        entered: number;
        failed: number;
        failureRate: number;
      }[]) {
        const entered = Number(e[`entered_${s.stage}` as keyof typeof e]);
        const failed = Number(e[`failed_${s.stage}` as keyof typeof e]);
        expect(s.entered).toBe(entered);
        expect(s.failed).toBe(failed);
        expect(s.failureRate).toBeCloseTo(failed / entered, 4);
      }
      const methods = body.methods.reduce((a: number, m: { orders: number }) => a + m.orders, 0);
      expect(methods).toBe(Number(e.entered_shipping));
    });

    it(`items: revenue per SKU and the top basket pair (${q}) equal the landing tables`, async () => {
      const { body } = await get(`/api/items?${q}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      const e = await expectedPerSku(dash.wh.client, w.from, w.to, province);
      expect(body.perSku.length).toBe(e.size);
      for (const s of body.perSku as { sku: number; revenue: number; profit: number }[]) {
        expect(s.revenue).toBeCloseTo(e.get(s.sku)!.revenue, 2);
        expect(s.profit).toBeCloseTo(e.get(s.sku)!.profit, 2);
      }
      const pair = await one<{ a: number; b: number; n: string; total: string } | undefined>(
        dash.wh.client,
        `with b as (select distinct i.order_id, i.sku from order_items i join orders o on o.order_id = i.order_id where ${IN_WINDOW})
         select x.sku as a, y.sku as b, count(*) as n, (select count(distinct order_id) from b) as total
           from b x join b y on x.order_id = y.order_id and x.sku < y.sku
          group by 1, 2 order by 3 desc limit 1`,
        [w.from, w.to, province],
      );
      if (pair && Number(pair.n) >= 2) {
        expect(body.pairs[0].ordersTogether).toBe(Number(pair.n));
        expect(body.pairs[0].support).toBeCloseTo(Number(pair.n) / Number(pair.total), 5);
      }
    });
  }

  it('location: revenue, orders and customers per province equal the landing tables, ranked by revenue', async () => {
    const { body } = await get('/api/location?range=all');
    const rows = (
      await dash.wh.client.query<{ code: string; orders: string; customers: string; revenue: string }>(
        `select provincial_code as code, count(*) as orders, count(distinct customer_id) as customers,
                coalesce(sum(order_total) filter (where order_status = 'DELIVERED'), 0) as revenue
           from orders group by 1`,
      )
    ).rows;
    expect(body.provinces).toHaveLength(rows.length);
    for (const r of rows) {
      const p = body.provinces.find((x: { code: string }) => x.code === r.code);
      expect(p, r.code).toBeDefined();
      expect(p.orders).toBe(Number(r.orders));
      expect(p.customers).toBe(Number(r.customers));
      expect(p.revenue).toBeCloseTo(Number(r.revenue), 2);
    }
    const revenues = body.provinces.map((p: { revenue: number }) => p.revenue);
    expect(revenues).toEqual([...revenues].sort((a: number, b: number) => b - a));
  });

  it("range=all agrees with the warehouse's own metric views", async () => {
    const summary = await one<{ repeat_rate: string; customers: string }>(
      dash.wh.client,
      'select repeat_rate, customers from metric_customers_summary',
      [],
    );
    const { body } = await get('/api/customers?range=all');
    expect(body.tiles.customers.value).toBe(Number(summary.customers));
    expect(body.tiles.repeatRate.value).toBeCloseTo(Number(summary.repeat_rate), 4);
    const funnel = (
      await dash.wh.client.query<{ stage: string; entered: string; failed: string }>(
        'select stage, entered, failed from metric_failure_funnel where failure_reason is null order by stage_order',
      )
    ).rows;
    const pd = (await get('/api/payment-delivery?range=all')).body;
    expect(pd.funnel.map((s: { entered: number; failed: number }) => [s.entered, s.failed])).toEqual(
      funnel.map((f) => [Number(f.entered), Number(f.failed)]),
    );
  });

  it('rejects a bad range or province with 400 and a clear message', async () => {
    const bad = await get('/api/revenue?range=decade');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('last30, month, quarter, year, all');
    const province = await get("/api/orders?province=Cebu'--");
    expect(province.status).toBe(400);
    expect(province.body.message).toContain('PH-CEB');
  });
});

describe('dashboard API before any data landed', () => {
  it('answers every tab with the no-data state, for an empty schema and a missing one', async () => {
    const empty = await seededWarehouse('empty', { orders: 0 });
    try {
      for (const schema of [empty.schema, 'dash_never_created']) {
        const db = new WarehouseReader(databaseUrl, schema);
        const app = await buildDashboard({ db, log });
        try {
          for (const tab of ['meta', ...Object.keys(TABS)]) {
            const response = await app.inject({ method: 'GET', url: `/api/${tab}?range=all` });
            expect(response.statusCode, `${schema} ${tab}`).toBe(200);
            expect(response.json()).toMatchObject({ empty: true, message: NO_DATA_MESSAGE });
          }
        } finally {
          await app.close();
          await db.close();
        }
      }
    } finally {
      await empty.drop();
    }
  });
});

async function expectedPerSku(client: pg.Client, from: string, to: string, province: string | null) {
  const rows = (
    await client.query<{ sku: number; revenue: string; cogs: string }>(
      `select i.sku, sum(i.subtotal) as revenue, sum(i.quantity * ${COST_AT_ORDER}) as cogs
         from orders o join order_items i on i.order_id = o.order_id join products p on p.sku = i.sku
        where o.order_status = 'DELIVERED' and ${IN_WINDOW}
        group by 1`,
      [from, to, province],
    )
  ).rows;
  return new Map(
    rows.map((r) => [r.sku, { revenue: Number(r.revenue), profit: Number(r.revenue) - Number(r.cogs) }]),
  );
}
