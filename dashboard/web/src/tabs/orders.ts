/// <reference lib="dom" />
/** Orders: counts, AOV and outcomes, per day, per day of month and per month. */
import type { ChartOptions } from 'chart.js';
import type { ordersTab } from '../../../queries/orders.ts';
import { COLORS, dataset, drawSeries, drawShares } from '../charts.ts';
import { formatCount, formatMonth, formatNumber, formatRatio } from '../format.ts';
import { chartCard, tileHtml } from '../widgets.ts';
import { dayLabels, money, peso, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type OrdersData = Of<typeof ordersTab>;

/** The AOV line's own axis, on the right, its grid not drawn over the orders' (a fresh object: Chart.js fills it in). */
const aovOnTheRight = (): ChartOptions => ({
  scales: { aov: { position: 'right', ...money, grid: { drawOnChartArea: false } } },
});

export function orders(d: OrdersData): Rendered {
  const t = d.tiles;
  return tabPage(d, {
    tiles: [
      tileHtml('Orders', t.orders, formatCount),
      tileHtml('Delivered', t.delivered, formatCount),
      tileHtml('Failed', t.failed, formatCount, { inverse: true }),
      tileHtml('Average order value', t.aov, peso),
      tileHtml('Orders per day', t.ordersPerDay, (v) => formatNumber(v, 1)),
      tileHtml('Delivered share', t.deliveredRate, (v) => formatRatio(v)),
    ],
    cards: [
      chartCard('ord-daily', 'Orders per day', { wide: true }),
      chartCard('ord-dom', 'Orders per calendar day, by day of month'),
      chartCard('ord-status', 'Outcome of the orders placed'),
      chartCard('ord-monthly', 'Orders and AOV per month', { wide: true }),
    ],
    draw: () => {
      drawSeries(
        'ord-daily',
        'line',
        dayLabels(d.daily),
        [
          dataset('Orders', pick(d.daily, 'orders'), COLORS[0]!),
          dataset('Delivered', pick(d.daily, 'delivered'), COLORS[2]!),
          dataset('Failed', pick(d.daily, 'failed'), COLORS[3]!),
        ],
        { interaction: { mode: 'index', intersect: false } },
      );
      drawSeries(
        'ord-dom',
        'bar',
        d.byDayOfMonth.map((x) => String(x.dayOfMonth)),
        [
          dataset('Orders per day', pick(d.byDayOfMonth, 'ordersPerDay'), COLORS[0]!, { yAxisID: 'y' }),
          dataset('AOV', pick(d.byDayOfMonth, 'aov'), COLORS[1]!, { type: 'line', yAxisID: 'aov' } as object),
        ],
        aovOnTheRight(),
      );
      drawShares('ord-status', pick(d.statuses, 'status'), pick(d.statuses, 'orders'), [
        COLORS[2]!,
        COLORS[5]!,
        COLORS[3]!,
        COLORS[1]!,
        COLORS[4]!,
      ]);
      drawSeries(
        'ord-monthly',
        'bar',
        d.monthly.map((m) => formatMonth(m.period)),
        [
          dataset('Orders', pick(d.monthly, 'orders'), COLORS[0]!, { yAxisID: 'y' }),
          dataset('AOV', pick(d.monthly, 'aov'), COLORS[1]!, {
            type: 'line',
            yAxisID: 'aov',
            pointRadius: 2,
          } as object),
        ],
        aovOnTheRight(),
      );
    },
  });
}
