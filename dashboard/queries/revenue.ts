import type { DataSpan, Db } from '../warehouse-reader.ts';
import { rangeWindow, type RangeWindow } from '../range.ts';
import { byDayOfMonth, rollup, sumOf, within, type DayValues } from './rollup.ts';
import { cents, daySeries, manilaDays, n0, pesos, provinceIs, ratio } from './sql.ts';
import { tile, type Tile } from './tile.ts';

/**
 * Tab "revenue & profit". Revenue = subtotals of delivered orders, COGS = quantity x catalogue unit
 * cost, profit = revenue - COGS (docs/metrics.md). The day series comes from the metric view
 * metric_revenue_profit; with a province filter, from fact_order_items (the view has no province).
 */
const KEYS = ['revenue', 'cogs', 'deliveredOrders', 'units'] as const;
type Day = DayValues<(typeof KEYS)[number]>;

/** The day series' columns, as the view and the province query name them. */
const COLUMNS = ['delivered_orders', 'units', 'revenue', 'cogs'];

interface Row {
  day: string;
  delivered_orders: string | null;
  units: string | null;
  revenue: string | null;
  cogs: string | null;
}

export async function revenueDays(db: Db, span: DataSpan, province: string | null): Promise<Day[]> {
  const rows = await db.rows<Row>(
    ...daySeries(
      'metric_revenue_profit',
      COLUMNS,
      span,
      province,
      `select order_day, count(distinct order_id) as delivered_orders, sum(quantity) as units,
              sum(subtotal) as revenue, sum(line_cost) as cogs
         from fact_order_items
        where is_delivered and ${manilaDays('order_date', 1, 2)} and ${provinceIs('provincial_code', 3)}
        group by order_day`,
    ),
  );
  return rows.map((r) => ({
    day: r.day,
    revenue: cents(r.revenue),
    cogs: cents(r.cogs),
    deliveredOrders: n0(r.delivered_orders),
    units: n0(r.units),
  }));
}

export interface RevenueTiles {
  revenue: Tile;
  cogs: Tile;
  profit: Tile;
  grossMarginPercent: Tile;
  deliveredOrders: Tile;
  aov: Tile;
}

function figures(days: Day[]) {
  const s = sumOf(days, KEYS);
  const profit = s.revenue - s.cogs;
  return {
    revenue: pesos(s.revenue),
    cogs: pesos(s.cogs),
    profit: pesos(profit),
    grossMarginPercent: s.revenue === 0 ? null : ratio(profit * 100, s.revenue, 2),
    deliveredOrders: s.deliveredOrders,
    aov: s.deliveredOrders === 0 ? null : ratio(s.revenue, s.deliveredOrders * 100, 2),
  };
}

function money(p: { period: string; days: number } & Record<(typeof KEYS)[number], number>) {
  return {
    period: p.period,
    revenue: pesos(p.revenue),
    cogs: pesos(p.cogs),
    profit: pesos(p.revenue - p.cogs),
    deliveredOrders: p.deliveredOrders,
  };
}

export async function revenueTab(db: Db, span: DataSpan, range: RangeWindow, province: string | null) {
  const all = await revenueDays(db, span, province);
  const current = within(all, range);
  const now = figures(current);
  const before = range.previous ? figures(within(all, range.previous)) : null;
  const tiles = Object.fromEntries(
    Object.entries(now).map(([k, v]) => [k, tile(v, before ? before[k as keyof typeof before] : null)]),
  ) as unknown as RevenueTiles;

  // The newest month, quarter and year to date, each against the same span of the period before.
  const periods = (['month', 'quarter', 'year'] as const).map((grain) => {
    const w = rangeWindow(grain, span.asOf, span.firstDay);
    const cur = figures(within(all, w));
    const prev = w.previous ? figures(within(all, w.previous)) : null;
    return {
      grain,
      from: w.from,
      to: w.to,
      previous: w.previous,
      revenue: cur.revenue,
      profit: cur.profit,
      grossMarginPercent: cur.grossMarginPercent,
      revenueChange: tile(cur.revenue, prev?.revenue ?? null).changePercent,
      profitChange: tile(cur.profit, prev?.profit ?? null).changePercent,
    };
  });

  return {
    tiles,
    periods,
    daily: current.map((d) => ({
      day: d.day,
      revenue: pesos(d.revenue),
      cogs: pesos(d.cogs),
      profit: pesos(d.revenue - d.cogs),
    })),
    monthly: rollup(current, KEYS, 'month').map(money),
    quarterly: rollup(all, KEYS, 'quarter').map(money),
    yearly: rollup(all, KEYS, 'year').map(money),
    byDayOfMonth: byDayOfMonth(current, KEYS).map((d) => ({
      dayOfMonth: d.dayOfMonth,
      days: d.days,
      revenue: pesos(d.revenue),
      profit: pesos(d.revenue - d.cogs),
      revenuePerDay: Math.round(d.revenue / d.days) / 100,
    })),
  };
}
