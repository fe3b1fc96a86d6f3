/// <reference lib="dom" />
/** Revenue & profit: tiles with period-over-period change, daily to yearly charts, by day of month. */
import type { revenueTab } from '../../../queries/revenue.ts';
import { COLORS, dataset, drawSeries, drawStacked } from '../charts.ts';
import { formatCount, formatMonth, formatPercent, formatQuarter } from '../format.ts';
import { chartCard, tileHtml } from '../widgets.ts';
import { dayLabels, money, peso, pesoShort, pick, rangeNote, type Of, type Rendered } from './tab.ts';

export type RevenueData = Of<typeof revenueTab>;

export function revenue(d: RevenueData): Rendered {
  const t = d.tiles;
  const grain = { month: 'This month', quarter: 'This quarter', year: 'This year' } as const;
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('Revenue', t.revenue, pesoShort)}
      ${tileHtml('Profit', t.profit, pesoShort)}
      ${tileHtml('COGS', t.cogs, pesoShort, { inverse: true })}
      ${tileHtml('Gross margin', t.grossMarginPercent, (v) => formatPercent(v))}
      ${tileHtml('Delivered orders', t.deliveredOrders, formatCount)}
      ${tileHtml('Average order value', t.aov, peso)}
    </div>
    <h2>Calendar periods to date, against the same days of the period before</h2>
    <div class="tiles">
      ${d.periods
        .map(
          (p) =>
            `${tileHtml(`${grain[p.grain]} revenue`, { value: p.revenue, changePercent: p.revenueChange }, pesoShort)}
             ${tileHtml(
               `${grain[p.grain]} profit`,
               { value: p.profit, changePercent: p.profitChange },
               pesoShort,
               {
                 note: `margin ${formatPercent(p.grossMarginPercent)}`,
               },
             )}`,
        )
        .join('')}
    </div>
    <div class="grid">
      ${chartCard('rev-daily', 'Daily revenue and profit', { wide: true })}
      ${chartCard('rev-monthly', 'Monthly revenue, COGS and profit')}
      ${chartCard('rev-dom', 'Revenue by day of month (average per calendar day)')}
      ${chartCard('rev-quarterly', 'Quarterly revenue and profit (all data)')}
      ${chartCard('rev-yearly', 'Yearly revenue and profit (all data)')}
    </div>`;
  const draw = () => {
    drawSeries(
      'rev-daily',
      'line',
      dayLabels(d.daily),
      [
        dataset('Revenue', pick(d.daily, 'revenue'), COLORS[0]!, { fill: false }),
        dataset('Profit', pick(d.daily, 'profit'), COLORS[2]!),
      ],
      { scales: { y: money }, interaction: { mode: 'index', intersect: false } },
    );
    drawStacked(
      'rev-monthly',
      d.monthly.map((m) => formatMonth(m.period)),
      [
        dataset('COGS', pick(d.monthly, 'cogs'), COLORS[1]!),
        dataset('Profit', pick(d.monthly, 'profit'), COLORS[2]!),
      ],
      { value: money },
    );
    drawSeries(
      'rev-dom',
      'bar',
      d.byDayOfMonth.map((x) => String(x.dayOfMonth)),
      [dataset('Revenue per day', pick(d.byDayOfMonth, 'revenuePerDay'), COLORS[0]!)],
      { scales: { y: money } },
    );
    for (const [id, rows, label] of [
      ['rev-quarterly', d.quarterly, formatQuarter],
      ['rev-yearly', d.yearly, (p: string) => p.slice(0, 4)],
    ] as const) {
      drawSeries(
        id,
        'bar',
        rows.map((r) => label(r.period)),
        [
          dataset('Revenue', pick(rows, 'revenue'), COLORS[0]!),
          dataset('Profit', pick(rows, 'profit'), COLORS[2]!),
        ],
        { scales: { y: money } },
      );
    }
  };
  return { html, draw };
}
