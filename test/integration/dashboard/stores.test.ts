/**
 * The stores tab's API (/api/stores) against PostgreSQL seeded with a year of orders, a fifth of those
 * placed in opening hours sold at a store's till, VAT on every line. Every figure is checked against
 * an independent SQL computation over the landing tables (orders, order_items, stores), not the
 * metric views the API reads; a warehouse whose orders are all online ranks every store at zero.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import { rangeWindow } from '../../../dashboard/range.ts';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { STORES } from '../../../reference/stores.ts';
import { seededDashboard, type SeededDashboard } from './seeded-dashboard.ts';
import { databaseUrl, seededWarehouse } from './seeded-warehouse.ts';

const log = createLogger('dashboard-test', 'warn');

const DAY_OF = `(o.order_date at time zone 'Asia/Manila')::date`;

/** Delivered sales per channel in the Manila days from..to, from the landing table. */
async function expectedChannels(client: pg.Client, from: string, to: string) {
  const { rows } = await client.query<Record<string, string | null>>(
    `select count(*) filter (where channel = 'store') as store_orders,
            coalesce(sum(order_total) filter (where channel = 'store'), 0) as store_sales,
            coalesce(sum(order_total) filter (where channel = 'online'), 0) as online_sales,
            coalesce(sum(order_total), 0) as sales, coalesce(sum(vat_total), 0) as vat,
            count(distinct store_id) as stores_selling
       from orders o where order_status = 'DELIVERED' and ${DAY_OF} between $1::date and $2::date`,
    [from, to],
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

describe('stores tab API on a seeded year with till sales', () => {
  let dash: SeededDashboard;

  const get = async (url: string) => (await dash.app.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    dash = await seededDashboard('stores', { orders: 2500, days: 365, seed: 1515, storeShare: 0.2 });
  });

  afterAll(async () => {
    await dash?.close();
  });

  for (const range of ['all', 'last30', 'quarter'] as const) {
    it(`the tiles, store ranking and tenders of ${range} equal the landing tables`, async () => {
      const body = await get(`/api/stores?range=${range}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      expect(body).toMatchObject({ tab: 'stores', empty: false, range: { from: w.from, to: w.to } });
      const e = await expectedChannels(dash.wh.client, w.from, w.to);
      expect(e.store_orders).toBeGreaterThan(range === 'all' ? 150 : 5);
      expect(body.tiles.storeOrders.value).toBe(e.store_orders);
      expect(body.tiles.storeSales.value).toBeCloseTo(e.store_sales!, 2);
      expect(body.tiles.vat.value).toBeCloseTo(e.vat!, 2);
      expect(body.tiles.storeShare.value).toBeCloseTo(e.store_sales! / e.sales!, 4);
      expect(body.tiles.storesSelling.value).toBe(e.stores_selling);
      expect(body.totals.onlineSales).toBeCloseTo(e.online_sales!, 2);

      // Every store of the reference data is ranked, by sales, with its orders, units and VAT.
      const { rows: perStore } = await dash.wh.client.query<Record<string, string>>(
        `select s.store_id, count(o.order_id) as orders, coalesce(sum(o.order_total), 0) as sales,
                coalesce(sum(o.vat_total), 0) as vat,
                coalesce(sum((select sum(quantity) from order_items i where i.order_id = o.order_id)), 0) as units
           from stores s left join orders o
             on o.store_id = s.store_id and o.channel = 'store' and o.order_status = 'DELIVERED'
            and ${DAY_OF} between $1::date and $2::date
          group by s.store_id order by sum(o.order_total) desc nulls last, s.store_id`,
        [w.from, w.to],
      );
      expect(body.stores).toHaveLength(STORES.length);
      expect(
        body.stores.map((s: Record<string, unknown>) => [s.storeId, s.orders, s.units, s.sales, s.vat]),
      ).toEqual(
        perStore.map((r) => [r.store_id, Number(r.orders), Number(r.units), Number(r.sales), Number(r.vat)]),
      );
      expect(body.stores.map((s: { rank: number }) => s.rank)).toEqual(STORES.map((_, i) => i + 1));

      const { rows: tenders } = await dash.wh.client.query<Record<string, string>>(
        `select tender, count(*) as orders, sum(order_total) as sales from orders o
          where channel = 'store' and order_status = 'DELIVERED' and ${DAY_OF} between $1::date and $2::date
          group by tender order by sum(order_total) desc, tender`,
        [w.from, w.to],
      );
      expect(body.tenders.map((t: Record<string, unknown>) => [t.tender, t.orders, t.sales])).toEqual(
        tenders.map((t) => [t.tender, Number(t.orders), Number(t.sales)]),
      );
      if (range === 'all')
        expect(tenders.map((t) => t.tender).sort()).toEqual([
          'CASH',
          'CREDIT_CARD',
          'DEBIT_CARD',
          'DIGITAL_WALLET',
        ]);
    });
  }

  it('sales by channel per day: every day of the range, online and store sales of the landing table', async () => {
    const body = await get('/api/stores?range=quarter');
    const w = rangeWindow('quarter', dash.asOf, dash.firstDay);
    const { rows } = await dash.wh.client.query<Record<string, string>>(
      `select to_char(d, 'YYYY-MM-DD') as day,
              coalesce(sum(o.order_total) filter (where o.channel = 'online'), 0) as online,
              coalesce(sum(o.order_total) filter (where o.channel = 'store'), 0) as store,
              count(o.order_id) filter (where o.channel = 'store') as store_orders
         from generate_series($1::date, $2::date, interval '1 day') d
         left join orders o on ${DAY_OF} = d::date and o.order_status = 'DELIVERED'
        group by d order by d`,
      [w.from, w.to],
    );
    expect(
      body.days.map((d: Record<string, unknown>) => [d.day, d.onlineSales, d.storeSales, d.storeOrders]),
    ).toEqual(rows.map((r) => [r.day, Number(r.online), Number(r.store), Number(r.store_orders)]));
  });

  it('VAT per month: taxable and exempt sales and the VAT of each channel, from the order lines', async () => {
    const body = await get('/api/stores?range=all');
    const { rows } = await dash.wh.client.query<Record<string, string>>(
      `select to_char(date_trunc('month', i.order_date at time zone 'Asia/Manila'), 'YYYY-MM-DD') as month,
              sum(i.subtotal) as sales,
              coalesce(sum(i.subtotal) filter (where i.vat_rate > 0), 0) as taxable,
              coalesce(sum(i.subtotal) filter (where i.vat_rate = 0), 0) as exempt,
              coalesce(sum(i.vat_amount) filter (where o.channel = 'online'), 0) as online_vat,
              coalesce(sum(i.vat_amount) filter (where o.channel = 'store'), 0) as store_vat,
              sum(i.vat_amount) as vat
         from order_items i join orders o using (order_id)
        where i.order_status = 'DELIVERED' group by 1 order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(
      body.vatMonths.map((m: Record<string, unknown>) => [
        m.month,
        m.sales,
        m.taxableSales,
        m.exemptSales,
        m.onlineVat,
        m.storeVat,
        m.vat,
      ]),
    ).toEqual(
      rows.map((r) => [
        r.month,
        Number(r.sales),
        Number(r.taxable),
        Number(r.exempt),
        Number(r.online_vat),
        Number(r.store_vat),
        Number(r.vat),
      ]),
    );
    // Pantry is exempt: some sales carry no VAT; the rest 12%, so VAT is 12/112 of the taxable sales.
    const taxable = rows.reduce((a, r) => a + Number(r.taxable), 0);
    const vat = rows.reduce((a, r) => a + Number(r.vat), 0);
    expect(rows.reduce((a, r) => a + Number(r.exempt), 0)).toBeGreaterThan(0);
    expect(vat / taxable).toBeCloseTo(12 / 112, 3);
  });

  it('a warehouse with only online orders ranks every store at zero and shows no tenders', async () => {
    const online = await seededWarehouse('stores_online', { orders: 300, days: 60, seed: 16 });
    const reader = new WarehouseReader(databaseUrl, online.schema);
    const onlineApp = await buildDashboard({ db: reader, log });
    try {
      const body = (await onlineApp.inject({ method: 'GET', url: '/api/stores?range=all' })).json();
      expect(body).toMatchObject({ tab: 'stores', empty: false, tenders: [] });
      expect(body.tiles.storeOrders.value).toBe(0);
      expect(body.stores).toHaveLength(STORES.length);
      expect(body.stores.every((s: { orders: number }) => s.orders === 0)).toBe(true);
      expect(body.days.some((d: { onlineSales: number }) => d.onlineSales > 0)).toBe(true);
    } finally {
      await onlineApp.close();
      await reader.close();
      await online.drop();
    }
  });
});
