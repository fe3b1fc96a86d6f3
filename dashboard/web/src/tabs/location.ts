/// <reference lib="dom" />
/** Location: revenue, orders and customers by province, on a bubble map and ranked. */
import type { ChartConfiguration } from 'chart.js';
import type { locationTab } from '../../../queries/location.ts';
import { COLORS, dataset, drawChart, drawSeries } from '../charts.ts';
import { formatCount, formatPeso, formatRatio } from '../format.ts';
import { MAP_BOUNDS, PROVINCE_CENTRES } from '../province-centres.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { money, pesoShort, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type LocationData = Of<typeof locationTab>;

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
  return tabPage(d, {
    tiles: [
      tileHtml('Provinces with orders', { value: rows.length }, formatCount),
      tileHtml('Top province', { value: rows[0]?.revenue ?? null }, pesoShort, { note: rows[0]?.name ?? '' }),
      tileHtml('Top province share', { value: rows[0]?.revenueShare ?? null }, (v) => formatRatio(v)),
    ],
    cards: [
      chartCard('loc-map', 'Map: delivered revenue by province (bubble area), grey where no orders', {
        height: 820,
      }),
      chartCard('loc-rank', 'Revenue by province (delivered orders), ranked', {
        height: Math.max(220, rows.length * 18 + 60),
      }),
      tableCard('Provinces', rows, [
        { title: '#', value: (r) => String(r.rank), numeric: true },
        { title: 'Province', value: (r) => r.name },
        { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
        { title: 'Customers', value: (r) => formatCount(r.customers), numeric: true },
        { title: 'Revenue', value: (r) => formatPeso(r.revenue), numeric: true },
        { title: 'AOV', value: (r) => formatPeso(r.aov), numeric: true },
        { title: 'Share', value: (r) => formatRatio(r.revenueShare), numeric: true },
      ]),
    ],
    draw: () => {
      // A bubble per province at its approximate centre, area proportional to revenue, over a grey dot
      // for every province so the archipelago's shape shows.
      const maxRevenue = Math.max(1, ...rows.map((r) => r.revenue));
      const bubbles: MapPoint[] = rows.flatMap((r) => {
        const centre = PROVINCE_CENTRES[r.code];
        if (!centre) return [];
        const radius = 2 + 14 * Math.sqrt(Math.max(0, r.revenue) / maxRevenue);
        return [
          { x: centre[1], y: centre[0], r: radius, name: r.name, revenue: r.revenue, orders: r.orders },
        ];
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
      drawSeries(
        'loc-rank',
        'bar',
        rows.map((r) => r.name),
        [dataset('Revenue', pick(rows, 'revenue'), COLORS[0]!)],
        {
          indexAxis: 'y',
          scales: { x: money, y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false } },
        },
      );
    },
  });
}
