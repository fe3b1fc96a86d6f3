import type { DataSpan, Db } from '../warehouse-reader.ts';
import type { RangeWindow } from '../range.ts';
import { byDayOfMonth, rollup, sumOf, within, type DayValues } from './rollup.ts';
import { cents, daySeries, manilaDays, n0, pesos, provinceIs, ratio } from './sql.ts';
import { tilesOf } from './tile.ts';

/**
 * Tab "orders": orders counted on the Manila day they were placed, whatever their outcome; AOV =
 * delivered revenue / delivered orders. Day series from metric_orders, or from fact_orders when a
 * province is chosen.
 */
const KEYS = ['orders', 'delivered', 'cancelled', 'returned', 'timedOut', 'failed', 'revenue'] as const;
type Day = DayValues<(typeof KEYS)[number]>;

/** The day series' columns, as the view and the province query name them. */
const COLUMNS = ['orders', 'delivered', 'cancelled', 'returned', 'timed_out', 'failed', 'revenue'];

interface Row {
  day: string;
  orders: string | null;
  delivered: string | null;
  cancelled: string | null;
  returned: string | null;
  timed_out: string | null;
  failed: string | null;
  revenue: string | null;
}

export async function orderDays(db: Db, span: DataSpan, province: string | null): Promise<Day[]> {
  const rows = await db.rows<Row>(
    ...daySeries(
      'metric_orders',
      COLUMNS,
      span,
      province,
      `select order_day, count(*) as orders,
              count(*) filter (where order_status = 'DELIVERED') as delivered,
              count(*) filter (where order_status = 'CANCELLED') as cancelled,
              count(*) filter (where order_status = 'RETURNED') as returned,
              count(*) filter (where order_status = 'TIMED_OUT') as timed_out,
              count(*) filter (where is_failed) as failed,
              sum(order_total) filter (where is_delivered) as revenue
         from fact_orders
        where ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
        group by order_day`,
    ),
  );
  return rows.map((r) => ({
    day: r.day,
    orders: n0(r.orders),
    delivered: n0(r.delivered),
    cancelled: n0(r.cancelled),
    returned: n0(r.returned),
    timedOut: n0(r.timed_out),
    failed: n0(r.failed),
    revenue: cents(r.revenue),
  }));
}

function figures(days: Day[]) {
  const s = sumOf(days, KEYS);
  return {
    orders: s.orders,
    delivered: s.delivered,
    failed: s.failed,
    aov: s.delivered === 0 ? null : ratio(s.revenue, s.delivered * 100, 2),
    ordersPerDay: days.length === 0 ? null : ratio(s.orders, days.length, 2),
    deliveredRate: ratio(s.delivered, s.orders),
  };
}

export async function ordersTab(db: Db, span: DataSpan, range: RangeWindow, province: string | null) {
  const all = await orderDays(db, span, province);
  const current = within(all, range);
  const now = figures(current);
  const before = range.previous ? figures(within(all, range.previous)) : null;
  const s = sumOf(current, KEYS);
  return {
    tiles: tilesOf(['orders', 'delivered', 'failed', 'aov', 'ordersPerDay', 'deliveredRate'], now, before),
    statuses: [
      { status: 'Delivered', orders: s.delivered },
      { status: 'Timed Out', orders: s.timedOut },
      { status: 'Cancelled', orders: s.cancelled },
      { status: 'Returned', orders: s.returned },
      { status: 'In flight', orders: s.orders - s.delivered - s.timedOut - s.cancelled - s.returned },
    ],
    daily: current.map((d) => ({
      day: d.day,
      orders: d.orders,
      delivered: d.delivered,
      failed: d.failed,
      aov: d.delivered === 0 ? null : ratio(d.revenue, d.delivered * 100, 2),
    })),
    monthly: rollup(current, KEYS, 'month').map((m) => ({
      period: m.period,
      orders: m.orders,
      delivered: m.delivered,
      failed: m.failed,
      aov: m.delivered === 0 ? null : ratio(m.revenue, m.delivered * 100, 2),
    })),
    byDayOfMonth: byDayOfMonth(current, KEYS).map((d) => ({
      dayOfMonth: d.dayOfMonth,
      days: d.days,
      orders: d.orders,
      ordersPerDay: ratio(d.orders, d.days, 2),
      aov: d.delivered === 0 ? null : ratio(d.revenue, d.delivered * 100, 2),
      revenue: pesos(d.revenue),
    })),
  };
}
