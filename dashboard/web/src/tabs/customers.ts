/// <reference lib="dom" />
/** Customers: totals, repeat rate, revenue share of repeat and top-10 customers, new customers per month. */
import type { customersTab } from '../../../queries/customers.ts';
import { COLORS, dataset, drawSeries, drawStacked } from '../charts.ts';
import { formatCount, formatMonth, formatPeso, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { money, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type CustomersData = Of<typeof customersTab>;

export function customers(d: CustomersData): Rendered {
  const t = d.tiles;
  return tabPage(d, {
    tiles: [
      tileHtml('Customers', t.customers, formatCount),
      tileHtml('New customers', t.newCustomers, formatCount),
      tileHtml('Repeat rate', t.repeatRate, (v) => formatRatio(v)),
      tileHtml('Repeat customers’ revenue share', t.repeatRevenueShare, (v) => formatRatio(v)),
      tileHtml('Top-10 customers’ revenue share', t.top10RevenueShare, (v) => formatRatio(v)),
    ],
    cards: [
      chartCard('cus-new', 'New customers per month (first order ever)'),
      chartCard('cus-share', 'Revenue by customer group'),
      tableCard(
        'Top customers by revenue',
        d.topCustomers,
        [
          { title: '#', value: (r) => String(d.topCustomers.indexOf(r) + 1), numeric: true },
          { title: 'Customer', value: (r) => r.name ?? r.customerId },
          { title: 'Province', value: (r) => r.province ?? '–' },
          { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { title: 'Revenue', value: (r) => formatPeso(r.revenue), numeric: true },
        ],
        { wide: true },
      ),
    ],
    draw: () => {
      drawStacked(
        'cus-new',
        d.newPerMonth.map((m) => formatMonth(m.month)),
        [
          dataset(
            'New, one order in the period',
            d.newPerMonth.map((m) => m.newCustomers - m.becameRepeat),
            COLORS[0]!,
          ),
          dataset('New, ordered again in the period', pick(d.newPerMonth, 'becameRepeat'), COLORS[2]!),
        ],
      );
      const top10 = d.revenue * (t.top10RevenueShare.value ?? 0);
      const repeat = d.revenue * (t.repeatRevenueShare.value ?? 0);
      drawSeries(
        'cus-share',
        'bar',
        ['All customers', 'Repeat customers', 'Top-10 customers'],
        [dataset('Revenue', [d.revenue, repeat, top10], COLORS[0]!)],
        { indexAxis: 'y', scales: { x: money }, plugins: { legend: { display: false } } },
      );
    },
  });
}
