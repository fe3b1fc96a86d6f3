/// <reference lib="dom" />
import type { customersTab } from '../../queries/customers.ts';
import type { itemsTab } from '../../queries/items.ts';
import type { locationTab } from '../../queries/location.ts';
import type { ordersTab } from '../../queries/orders.ts';
import type { paymentDeliveryTab } from '../../queries/payment-delivery.ts';
import type { revenueTab } from '../../queries/revenue.ts';
import type { RangeWindow } from '../../range.ts';
import type { ChartConfiguration } from 'chart.js';
import { COLORS, dataset, drawChart, pesoTick } from './charts.ts';
import {
  formatCount,
  formatDay,
  formatHours,
  formatMonth,
  formatPercent,
  formatPeso,
  formatQuarter,
  formatRatio,
} from './format.ts';
import { MAP_BOUNDS, PROVINCE_CENTRES } from './province-centres.ts';
import { chartCard, tableCard, tileHtml } from './widgets.ts';

export interface Envelope {
  tab: string;
  empty: false;
  asOf: string;
  range: RangeWindow;
  province: string | null;
  queryMs: number;
}

type Of<F extends (...args: never[]) => Promise<unknown>> = Envelope & Awaited<ReturnType<F>>;
export type RevenueData = Of<typeof revenueTab>;
export type OrdersData = Of<typeof ordersTab>;
export type CustomersData = Of<typeof customersTab>;
export type ItemsData = Of<typeof itemsTab>;
export type PaymentDeliveryData = Of<typeof paymentDeliveryTab>;
export type LocationData = Of<typeof locationTab>;

/** What a tab renders: its HTML, then the charts drawn into it. */
export interface Rendered {
  html: string;
  draw: () => void;
}

const peso = (v: number | null) => formatPeso(v);
const pesoShort = (v: number | null) => formatPeso(v, true);
const money = { ticks: { callback: pesoTick } };
const dayLabels = (days: { day: string }[]) => days.map((d) => formatDay(d.day, false));

function rangeNote(d: Envelope): string {
  const prev = d.range.previous
    ? ` · compared with ${formatDay(d.range.previous.from)} – ${formatDay(d.range.previous.to)}`
    : '';
  return `<p class="subtitle">${d.range.label}: ${formatDay(d.range.from)} – ${formatDay(d.range.to)}${
    d.province ? ` · province ${d.province}` : ''
  }${prev} · Asia/Manila days · amounts in PHP</p>`;
}

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
    drawChart('rev-daily', {
      type: 'line',
      data: {
        labels: dayLabels(d.daily),
        datasets: [
          dataset(
            'Revenue',
            d.daily.map((x) => x.revenue),
            COLORS[0]!,
            { fill: false },
          ),
          dataset(
            'Profit',
            d.daily.map((x) => x.profit),
            COLORS[2]!,
          ),
        ],
      },
      options: { scales: { y: money }, interaction: { mode: 'index', intersect: false } },
    });
    drawChart('rev-monthly', {
      type: 'bar',
      data: {
        labels: d.monthly.map((m) => formatMonth(m.period)),
        datasets: [
          dataset(
            'COGS',
            d.monthly.map((m) => m.cogs),
            COLORS[1]!,
            { stack: 'r' },
          ),
          dataset(
            'Profit',
            d.monthly.map((m) => m.profit),
            COLORS[2]!,
            { stack: 'r' },
          ),
        ],
      },
      options: { scales: { y: { ...money, stacked: true }, x: { stacked: true } } },
    });
    drawChart('rev-dom', {
      type: 'bar',
      data: {
        labels: d.byDayOfMonth.map((x) => String(x.dayOfMonth)),
        datasets: [
          dataset(
            'Revenue per day',
            d.byDayOfMonth.map((x) => x.revenuePerDay),
            COLORS[0]!,
          ),
        ],
      },
      options: { scales: { y: money } },
    });
    for (const [id, rows, label] of [
      ['rev-quarterly', d.quarterly, formatQuarter],
      ['rev-yearly', d.yearly, (p: string) => p.slice(0, 4)],
    ] as const) {
      drawChart(id, {
        type: 'bar',
        data: {
          labels: rows.map((r) => label(r.period)),
          datasets: [
            dataset(
              'Revenue',
              rows.map((r) => r.revenue),
              COLORS[0]!,
            ),
            dataset(
              'Profit',
              rows.map((r) => r.profit),
              COLORS[2]!,
            ),
          ],
        },
        options: { scales: { y: money } },
      });
    }
  };
  return { html, draw };
}

export function orders(d: OrdersData): Rendered {
  const t = d.tiles;
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('Orders', t.orders, formatCount)}
      ${tileHtml('Delivered', t.delivered, formatCount)}
      ${tileHtml('Failed', t.failed, formatCount, { inverse: true })}
      ${tileHtml('Average order value', t.aov, peso)}
      ${tileHtml('Orders per day', t.ordersPerDay, (v) => (v === null ? '–' : v.toFixed(1)))}
      ${tileHtml('Delivered share', t.deliveredRate, (v) => formatRatio(v))}
    </div>
    <div class="grid">
      ${chartCard('ord-daily', 'Orders per day', { wide: true })}
      ${chartCard('ord-dom', 'Orders per calendar day, by day of month')}
      ${chartCard('ord-status', 'Outcome of the orders placed')}
      ${chartCard('ord-monthly', 'Orders and AOV per month', { wide: true })}
    </div>`;
  const draw = () => {
    drawChart('ord-daily', {
      type: 'line',
      data: {
        labels: dayLabels(d.daily),
        datasets: [
          dataset(
            'Orders',
            d.daily.map((x) => x.orders),
            COLORS[0]!,
          ),
          dataset(
            'Delivered',
            d.daily.map((x) => x.delivered),
            COLORS[2]!,
          ),
          dataset(
            'Failed',
            d.daily.map((x) => x.failed),
            COLORS[3]!,
          ),
        ],
      },
      options: { interaction: { mode: 'index', intersect: false } },
    });
    drawChart('ord-dom', {
      type: 'bar',
      data: {
        labels: d.byDayOfMonth.map((x) => String(x.dayOfMonth)),
        datasets: [
          dataset(
            'Orders per day',
            d.byDayOfMonth.map((x) => x.ordersPerDay),
            COLORS[0]!,
            { yAxisID: 'y' },
          ),
          dataset(
            'AOV',
            d.byDayOfMonth.map((x) => x.aov),
            COLORS[1]!,
            { type: 'line', yAxisID: 'aov' } as object,
          ),
        ],
      },
      options: { scales: { aov: { position: 'right', ...money, grid: { drawOnChartArea: false } } } },
    });
    drawChart('ord-status', {
      type: 'doughnut',
      data: {
        labels: d.statuses.map((s) => s.status),
        datasets: [
          {
            data: d.statuses.map((s) => s.orders),
            backgroundColor: [COLORS[2]!, COLORS[5]!, COLORS[3]!, COLORS[1]!, COLORS[4]!],
          },
        ],
      },
      options: { plugins: { legend: { position: 'right' } } },
    });
    drawChart('ord-monthly', {
      type: 'bar',
      data: {
        labels: d.monthly.map((m) => formatMonth(m.period)),
        datasets: [
          dataset(
            'Orders',
            d.monthly.map((m) => m.orders),
            COLORS[0]!,
            { yAxisID: 'y' },
          ),
          dataset(
            'AOV',
            d.monthly.map((m) => m.aov),
            COLORS[1]!,
            { type: 'line', yAxisID: 'aov', pointRadius: 2 } as object,
          ),
        ],
      },
      options: { scales: { aov: { position: 'right', ...money, grid: { drawOnChartArea: false } } } },
    });
  };
  return { html, draw };
}

export function customers(d: CustomersData): Rendered {
  const t = d.tiles;
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('Customers', t.customers, formatCount)}
      ${tileHtml('New customers', t.newCustomers, formatCount)}
      ${tileHtml('Repeat rate', t.repeatRate, (v) => formatRatio(v))}
      ${tileHtml('Repeat customers’ revenue share', t.repeatRevenueShare, (v) => formatRatio(v))}
      ${tileHtml('Top-10 customers’ revenue share', t.top10RevenueShare, (v) => formatRatio(v))}
    </div>
    <div class="grid">
      ${chartCard('cus-new', 'New customers per month (first order ever)')}
      ${chartCard('cus-share', 'Revenue by customer group')}
      ${tableCard(
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
      )}
    </div>`;
  const draw = () => {
    drawChart('cus-new', {
      type: 'bar',
      data: {
        labels: d.newPerMonth.map((m) => formatMonth(m.month)),
        datasets: [
          dataset(
            'New, one order in the period',
            d.newPerMonth.map((m) => m.newCustomers - m.becameRepeat),
            COLORS[0]!,
            { stack: 'c' },
          ),
          dataset(
            'New, ordered again in the period',
            d.newPerMonth.map((m) => m.becameRepeat),
            COLORS[2]!,
            { stack: 'c' },
          ),
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true } } },
    });
    const top10 = d.revenue * (t.top10RevenueShare.value ?? 0);
    const repeat = d.revenue * (t.repeatRevenueShare.value ?? 0);
    drawChart('cus-share', {
      type: 'bar',
      data: {
        labels: ['All customers', 'Repeat customers', 'Top-10 customers'],
        datasets: [dataset('Revenue', [d.revenue, repeat, top10], COLORS[0]!)],
      },
      options: { indexAxis: 'y', scales: { x: money }, plugins: { legend: { display: false } } },
    });
  };
  return { html, draw };
}

export function items(d: ItemsData): Rendered {
  const bySku = d.perSku.slice(0, 20);
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('SKUs sold', { value: d.totals.skusSold }, formatCount)}
      ${tileHtml('Units sold', { value: d.totals.units }, formatCount)}
      ${tileHtml('Revenue', { value: d.totals.revenue }, pesoShort)}
      ${tileHtml('Profit', { value: d.totals.profit }, pesoShort)}
    </div>
    <div class="grid">
      ${chartCard('itm-sku', 'Revenue = COGS + profit, top 20 SKUs by revenue', { wide: true, height: 320 })}
      ${chartCard('itm-top', 'Top sellers by units', { height: 300 })}
      ${chartCard('itm-category', 'Revenue and profit by category', { height: 300 })}
      ${tableCard(
        'Market-basket pairs (bought together)',
        d.pairs,
        [
          { title: 'Product A', value: (p) => p.productA },
          { title: 'Product B', value: (p) => p.productB },
          { title: 'Orders', value: (p) => formatCount(p.ordersTogether), numeric: true },
          { title: 'Support', value: (p) => formatRatio(p.support, 2), numeric: true },
          { title: 'Conf. A→B', value: (p) => formatRatio(p.confidenceAtoB), numeric: true },
          { title: 'Conf. B→A', value: (p) => formatRatio(p.confidenceBtoA), numeric: true },
          { title: 'Lift', value: (p) => p.lift.toFixed(2), numeric: true },
        ],
        { id: 'basket-pairs', wide: true, empty: 'no pair was bought together twice in this period' },
      )}
      ${tableCard(
        'Per SKU',
        d.perSku,
        [
          { title: 'SKU', value: (s) => String(s.sku), numeric: true },
          { title: 'Product', value: (s) => s.name },
          { title: 'Category', value: (s) => s.category ?? '–' },
          { title: 'Units', value: (s) => formatCount(s.units), numeric: true },
          { title: 'Revenue', value: (s) => formatPeso(s.revenue), numeric: true },
          { title: 'COGS', value: (s) => formatPeso(s.cogs), numeric: true },
          { title: 'Profit', value: (s) => formatPeso(s.profit), numeric: true },
          { title: 'Margin', value: (s) => formatPercent(s.marginPercent), numeric: true },
        ],
        { wide: true },
      )}
    </div>`;
  const draw = () => {
    drawChart('itm-sku', {
      type: 'bar',
      data: {
        labels: bySku.map((s) => s.name),
        datasets: [
          dataset(
            'COGS',
            bySku.map((s) => s.cogs),
            COLORS[1]!,
            { stack: 's' },
          ),
          dataset(
            'Profit',
            bySku.map((s) => s.profit),
            COLORS[2]!,
            { stack: 's' },
          ),
        ],
      },
      options: {
        scales: {
          x: { stacked: true, ticks: { autoSkip: false, maxRotation: 60 } },
          y: { ...money, stacked: true },
        },
      },
    });
    const categories = new Map<string, { revenue: number; profit: number }>();
    for (const s of d.perSku) {
      const c = categories.get(s.category ?? 'Other') ?? { revenue: 0, profit: 0 };
      c.revenue += s.revenue;
      c.profit += s.profit;
      categories.set(s.category ?? 'Other', c);
    }
    const byCategory = [...categories.entries()].sort((a, b) => b[1].revenue - a[1].revenue);
    drawChart('itm-category', {
      type: 'bar',
      data: {
        labels: byCategory.map(([name]) => name),
        datasets: [
          dataset(
            'Revenue',
            byCategory.map(([, c]) => c.revenue),
            COLORS[0]!,
          ),
          dataset(
            'Profit',
            byCategory.map(([, c]) => c.profit),
            COLORS[2]!,
          ),
        ],
      },
      options: { indexAxis: 'y', scales: { x: money, y: { ticks: { autoSkip: false } } } },
    });
    drawChart('itm-top', {
      type: 'bar',
      data: {
        labels: d.topSellers.map((s) => s.name),
        datasets: [
          dataset(
            'Units',
            d.topSellers.map((s) => s.units),
            COLORS[0]!,
          ),
        ],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } } },
    });
  };
  return { html, draw };
}

export function paymentDelivery(d: PaymentDeliveryData): Rendered {
  const t = d.tiles;
  const funnelRows = d.funnel.flatMap((s) => [
    { stage: s.stage, reason: 'all reasons', entered: s.entered, failed: s.failed, rate: s.failureRate },
    ...s.reasons.map((r) => ({
      stage: '',
      reason: r.reason,
      entered: s.entered,
      failed: r.failed,
      rate: s.entered ? r.failed / s.entered : null,
    })),
  ]);
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('On-time delivery', t.onTimeRate, (v) => formatRatio(v))}
      ${tileHtml('Time to pay', t.avgHoursToPay, formatHours, { inverse: true })}
      ${tileHtml('Time to ship', t.avgHoursToShip, formatHours, { inverse: true })}
      ${tileHtml('Time to deliver', t.avgHoursToDeliver, formatHours, { inverse: true })}
      ${tileHtml('Orders placed', t.orders, formatCount)}
    </div>
    <div class="grid">
      ${chartCard('pay-funnel', 'Failure funnel: orders entering each stage and failing there')}
      ${tableCard(
        'Failures by stage and reason',
        funnelRows,
        [
          { title: 'Stage', value: (r) => r.stage },
          { title: 'Reason', value: (r) => r.reason },
          { title: 'Entered', value: (r) => formatCount(r.entered), numeric: true },
          { title: 'Failed', value: (r) => formatCount(r.failed), numeric: true },
          { title: 'Rate', value: (r) => formatRatio(r.rate), numeric: true },
        ],
        { id: 'failure-funnel' },
      )}
      ${chartCard('pay-method', 'Payment method')}
      ${chartCard('pay-express', 'Shipping')}
      ${chartCard('pay-ontime', 'On-time rate and days to deliver, by month of order', { wide: true })}
    </div>`;
  const draw = () => {
    drawChart('pay-funnel', {
      type: 'bar',
      data: {
        labels: d.funnel.map((s) => s.stage),
        datasets: [
          dataset(
            'Passed',
            d.funnel.map((s) => s.entered - s.failed),
            COLORS[2]!,
            { stack: 'f' },
          ),
          dataset(
            'Failed',
            d.funnel.map((s) => s.failed),
            COLORS[3]!,
            { stack: 'f' },
          ),
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } } },
    });
    drawChart('pay-method', {
      type: 'doughnut',
      data: {
        labels: d.methods.map((m) => m.method),
        datasets: [{ data: d.methods.map((m) => m.orders), backgroundColor: COLORS.slice(0, 3) }],
      },
      options: { plugins: { legend: { position: 'right' } } },
    });
    drawChart('pay-express', {
      type: 'doughnut',
      data: {
        labels: d.shipping.map((m) => m.kind),
        datasets: [{ data: d.shipping.map((m) => m.orders), backgroundColor: [COLORS[1]!, COLORS[5]!] }],
      },
      options: { plugins: { legend: { position: 'right' } } },
    });
    drawChart('pay-ontime', {
      type: 'line',
      data: {
        labels: d.monthly.map((m) => formatMonth(m.month)),
        datasets: [
          dataset(
            'On-time rate (%)',
            d.monthly.map((m) => (m.onTimeRate === null ? null : m.onTimeRate * 100)),
            COLORS[2]!,
            { pointRadius: 2, yAxisID: 'y' },
          ),
          dataset(
            'Days to deliver',
            d.monthly.map((m) => (m.avgHoursToDeliver === null ? null : m.avgHoursToDeliver / 24)),
            COLORS[0]!,
            { pointRadius: 2, yAxisID: 'days' },
          ),
        ],
      },
      options: {
        scales: {
          y: { min: 0, max: 100 },
          days: { position: 'right', min: 0, grid: { drawOnChartArea: false } },
        },
      },
    });
  };
  return { html, draw };
}

interface MapPoint {
  x: number;
  y: number;
  r: number;
  name: string;
  revenue: number;
  orders: number;
}

export function location(d: LocationData): Rendered {
  const rows = d.provinces;
  const html = `${rangeNote(d)}
    <div class="tiles">
      ${tileHtml('Provinces with orders', { value: rows.length }, formatCount)}
      ${tileHtml('Top province', { value: rows[0]?.revenue ?? null }, pesoShort, { note: rows[0]?.name ?? '' })}
      ${tileHtml('Top province share', { value: rows[0]?.revenueShare ?? null }, (v) => formatRatio(v))}
    </div>
    <div class="grid">
      ${chartCard('loc-map', 'Map: delivered revenue by province (bubble area), grey where no orders', { height: 820 })}
      ${chartCard('loc-rank', 'Revenue by province (delivered orders), ranked', { height: Math.max(220, rows.length * 18 + 60) })}
      ${tableCard('Provinces', rows, [
        { title: '#', value: (r) => String(r.rank), numeric: true },
        { title: 'Province', value: (r) => r.name },
        { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
        { title: 'Customers', value: (r) => formatCount(r.customers), numeric: true },
        { title: 'Revenue', value: (r) => formatPeso(r.revenue), numeric: true },
        { title: 'AOV', value: (r) => formatPeso(r.aov), numeric: true },
        { title: 'Share', value: (r) => formatRatio(r.revenueShare), numeric: true },
      ])}
    </div>`;
  const draw = () => {
    // A bubble per province at its approximate centre, area proportional to revenue, over a grey dot
    // for every province so the archipelago's shape shows.
    const maxRevenue = Math.max(1, ...rows.map((r) => r.revenue));
    const bubbles: MapPoint[] = rows.flatMap((r) => {
      const centre = PROVINCE_CENTRES[r.code];
      if (!centre) return [];
      const radius = 2 + 14 * Math.sqrt(Math.max(0, r.revenue) / maxRevenue);
      return [{ x: centre[1], y: centre[0], r: radius, name: r.name, revenue: r.revenue, orders: r.orders }];
    });
    const everywhere = Object.values(PROVINCE_CENTRES).map(([lat, lon]) => ({ x: lon, y: lat, r: 2.5 }));
    drawChart('loc-map', {
      type: 'bubble',
      data: {
        datasets: [
          {
            label: 'Revenue',
            data: bubbles,
            backgroundColor: 'rgba(11, 107, 203, 0.45)',
            borderColor: COLORS[0]!,
            borderWidth: 1,
            order: 0,
          },
          { label: 'Provinces', data: everywhere, backgroundColor: '#c3ccd6', borderWidth: 0, order: 1 },
        ],
      },
      options: {
        scales: {
          x: {
            type: 'linear',
            min: MAP_BOUNDS.lonMin,
            max: MAP_BOUNDS.lonMax,
            title: { display: true, text: 'longitude °E' },
            grid: { display: false },
          },
          y: {
            min: MAP_BOUNDS.latMin,
            max: MAP_BOUNDS.latMax,
            title: { display: true, text: 'latitude °N' },
            grid: { display: false },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: (item) => item.datasetIndex === 0,
            callbacks: {
              label: (item) => {
                const p = item.raw as MapPoint;
                return `${p.name}: ${formatPeso(p.revenue)} (${formatCount(p.orders)} orders)`;
              },
            },
          },
        },
      },
    } as ChartConfiguration);
    drawChart('loc-rank', {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.name),
        datasets: [
          dataset(
            'Revenue',
            rows.map((r) => r.revenue),
            COLORS[0]!,
          ),
        ],
      },
      options: {
        indexAxis: 'y',
        scales: { x: money, y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false } },
      },
    });
  };
  return { html, draw };
}
