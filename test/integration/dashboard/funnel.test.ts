/**
 * The funnel tab's API (/api/funnel) and the live tab's cart figures against PostgreSQL seeded with a
 * year of orders and the carts they checked out (seeded-carts.ts, landed through the real landing
 * step). Every figure is checked against an independent SQL computation over the landing tables
 * (cart_events, orders), not the metric views the API reads; a warehouse with orders but no carts
 * answers the funnel's "no data yet".
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import { readLiveCarts } from '../../../dashboard/live/live-carts.ts';
import { NO_CARTS_MESSAGE } from '../../../dashboard/queries/funnel.ts';
import { rangeWindow } from '../../../dashboard/range.ts';
import { buildDashboard } from '../../../dashboard/server.ts';
import { WarehouseReader } from '../../../dashboard/warehouse-reader.ts';
import { CARTS_SQL } from './seeded-carts.ts';
import { seededDashboard, type SeededDashboard } from './seeded-dashboard.ts';
import { databaseUrl, seededWarehouse } from './seeded-warehouse.ts';

const log = createLogger('dashboard-test', 'warn');

async function expectedFunnel(client: pg.Client, from: string, to: string) {
  const { rows } = await client.query<Record<string, string>>(
    `select coalesce(sum(visits), 0) as visits, count(*) as carts, count(*) filter (where checked_out) as checkouts,
            count(*) filter (where paid) as paid, count(*) filter (where delivered) as delivered,
            count(*) filter (where expired) as abandoned, count(*) filter (where landed) as landed,
            coalesce(sum(events), 0) as events
       from (${CARTS_SQL}) c where day between $1::date and $2::date`,
    [from, to],
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

const rate = (a: number, b: number, digits = 4) =>
  b === 0 ? null : Math.round((a / b) * 10 ** digits) / 10 ** digits;

describe('funnel tab API on a seeded year of carts', () => {
  let dash: SeededDashboard;

  const get = async (url: string) => (await dash.app.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    dash = await seededDashboard('funnel', { orders: 2000, days: 365, seed: 515, carts: true });
  });

  afterAll(async () => {
    await dash?.close();
  });

  for (const range of ['all', 'last30', 'quarter'] as const) {
    it(`the funnel of ${range} equals the landing tables' carts and orders`, async () => {
      const body = await get(`/api/funnel?range=${range}`);
      const w = rangeWindow(range, dash.asOf, dash.firstDay);
      expect(body).toMatchObject({ tab: 'funnel', empty: false, range: { from: w.from, to: w.to } });
      const e = await expectedFunnel(dash.wh.client, w.from, w.to);
      expect(e.carts).toBeGreaterThan(50);
      const open = e.carts - e.checkouts - e.abandoned;
      expect(body.funnel).toMatchObject({
        visits: e.visits,
        carts: e.carts,
        checkouts: e.checkouts,
        paid: e.paid,
        delivered: e.delivered,
        abandoned: e.abandoned,
        open,
        landed: e.landed,
        events: e.events,
        visitToCart: rate(e.carts, e.visits),
        cartToCheckout: rate(e.checkouts, e.carts),
        cartAbandonment: rate(e.abandoned, e.carts - open),
        paymentCompletion: rate(e.paid, e.landed),
        paidToDelivered: rate(e.delivered, e.paid),
      });
      expect(body.funnel.steps.map((s: { step: string; count: number }) => [s.step, s.count])).toEqual([
        ['Visits', e.visits],
        ['Carts', e.carts],
        ['Checkouts', e.checkouts],
        ['Paid', e.paid],
        ['Delivered', e.delivered],
      ]);
      expect(body.tiles.eventsPerOrder.value).toBe(rate(e.events, e.checkouts, 2));
      if (w.previous) {
        const p = await expectedFunnel(dash.wh.client, w.previous.from, w.previous.to);
        expect(body.tiles.carts.previous).toBe(p.carts);
        expect(body.tiles.paid.previous).toBe(p.paid);
      } else expect(body.tiles.carts.previous).toBeNull();
      // The seed's shape: about 70% of the ended carts abandoned (2.33 abandoned carts per order).
      expect(body.funnel.cartAbandonment).toBeGreaterThan(0.6);
      expect(body.funnel.cartAbandonment).toBeLessThan(0.8);
    });
  }

  it('gives each day of the range its own conversion, zero on days without carts', async () => {
    const body = await get('/api/funnel?range=last30');
    expect(body.days).toHaveLength(30);
    const { rows } = await dash.wh.client.query<{
      day: string;
      carts: string;
      checkouts: string;
      paid: string;
      landed: string;
    }>(
      `select to_char(day, 'YYYY-MM-DD') as day, count(*) as carts, count(*) filter (where checked_out) as checkouts,
              count(*) filter (where paid) as paid, count(*) filter (where landed) as landed
         from (${CARTS_SQL}) c where day between $1::date and $2::date group by day`,
      [body.range.from, body.range.to],
    );
    const byDay = new Map(rows.map((r) => [r.day, r]));
    for (const d of body.days) {
      const r = byDay.get(d.day);
      expect(d.carts, d.day).toBe(Number(r?.carts ?? 0));
      expect(d.checkouts, d.day).toBe(Number(r?.checkouts ?? 0));
      expect(d.cartToCheckout, d.day).toBe(r ? rate(Number(r.checkouts), Number(r.carts)) : null);
      expect(d.paymentCompletion, d.day).toBe(r ? rate(Number(r.paid), Number(r.landed)) : null);
    }
  });

  it('ranks products by adds in the range and trending over the last 7 landed days', async () => {
    const body = await get('/api/funnel?range=all');
    // Adds: CREATE_CART and ADD_TO_CART events up to each cart's checkout (later ones are dead letters).
    const valid = `select e.* from cart_events e join (${CARTS_SQL}) c using (cart_id)
                    where e.event_type in ('CREATE_CART', 'ADD_TO_CART')
                      and (not c.checked_out or e.event_time <= c.last_event_at)`;
    const { rows: adds } = await dash.wh.client.query<{ sku: number; adds: string }>(
      `select sku, count(*) as adds from (${valid}) v group by sku order by count(*) desc, sku limit 15`,
    );
    expect(body.interest.map((p: { sku: number; adds: number }) => [p.sku, p.adds])).toEqual(
      adds.map((a) => [a.sku, Number(a.adds)]),
    );
    const { rows: weeks } = await dash.wh.client.query<{ sku: number; last7: string; prev7: string }>(
      `with v as (select sku, (event_time at time zone 'Asia/Manila')::date as day from (${valid}) v),
            b as (select max(day) as last_day from v)
       select sku, count(*) filter (where day > last_day - 7) as last7,
              count(*) filter (where day <= last_day - 7) as prev7
         from v, b where day > last_day - 14 group by sku`,
    );
    const expected = new Map(weeks.map((r) => [r.sku, [Number(r.last7), Number(r.prev7)]]));
    expect(body.trending.length).toBe(Math.min(10, weeks.length));
    const top = Math.max(...weeks.map((r) => Number(r.last7)));
    expect(body.trending[0].addsLast7Days).toBe(top);
    for (const p of body.trending)
      expect([p.addsLast7Days, p.addsPrevious7Days]).toEqual(expected.get(p.sku));
  });

  it('counts the dead-lettered cart events by reason', async () => {
    const body = await get('/api/funnel?range=last30');
    // The seed's three bad events: an add after the checkout of the two newest orders' carts, one unknown cart.
    expect(body.deadLetters).toEqual([
      { reason: 'add_to_cart after checkout', events: 2 },
      { reason: 'unknown cart', events: 1 },
    ]);
    expect(body.deadLettersTotal).toBe(3);
  });

  it('the live figures: carts open now and the conversion over the last simulated hour', async () => {
    const live = await readLiveCarts(dash.db);
    const { rows } = await dash.wh.client.query<Record<string, string>>(
      `with c as (${CARTS_SQL}), t as (select max(event_time) as t from cart_events)
       select extract(epoch from t.t) * 1000 as as_of,
              count(*) filter (where not checked_out and not expired) as open,
              count(*) filter (where expired) as abandoned,
              count(*) filter (where created_at > t.t - interval '1 hour') as created,
              count(*) filter (where checked_out and last_event_at > t.t - interval '1 hour') as checkouts
         from c, t group by t.t`,
    );
    const e = rows[0]!;
    expect(Number(e.open)).toBeGreaterThan(0);
    expect(live).toEqual({
      asOf: Number(e.as_of),
      open: Number(e.open),
      abandoned: Number(e.abandoned),
      created: Number(e.created),
      checkouts: Number(e.checkouts),
      conversion: rate(Number(e.checkouts), Number(e.created)),
    });
  });

  it('answers "no data yet" while orders have landed but no cart', async () => {
    const noCarts = await seededWarehouse('funnel_nocarts', { orders: 100, days: 20 });
    const reader = new WarehouseReader(databaseUrl, noCarts.schema);
    const server = await buildDashboard({ db: reader, log });
    try {
      const body = (await server.inject({ method: 'GET', url: '/api/funnel' })).json();
      expect(body).toMatchObject({ tab: 'funnel', empty: true, message: NO_CARTS_MESSAGE });
      expect(await readLiveCarts(reader)).toBeNull();
    } finally {
      await server.close();
      await reader.close();
      await noCarts.drop();
    }
  });
});
