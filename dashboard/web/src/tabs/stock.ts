/// <reference lib="dom" />
/** Stock: current levels per product, low stock and restocks, stock movements and units on hand over time. */
import type { stockTab } from '../../../queries/stock.ts';
import { COLORS, dataset, drawChart, drawSeries, drawStacked } from '../charts.ts';
import { formatCount, formatDay, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml, type Column } from '../widgets.ts';
import { dayLabels, tabPage, pick, type Of, type Rendered } from './tab.ts';

export type StockData = Of<typeof stockTab>;

const days = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} d`);
const day = (v: string | null) => (v === null ? '–' : formatDay(v));

const money = (v: number | null) => (v === null ? '–' : `PHP ${v.toFixed(2)}`);
const priceTitle = (d: StockData) => {
  const p = d.priceHistory[0];
  return p
    ? `Price history of ${p.sku} ${p.name ?? ''} (the product whose price changed most in this period): price and cost in force`
    : 'Price history';
};

/** The columns of the two product tables (low stock, stock per product), each written once. */
const col = {
  sku: { title: 'SKU', value: (r) => String(r.sku), numeric: true },
  product: { title: 'Product', value: (r) => r.name },
  onHand: { title: 'On hand', value: (r) => formatCount(r.onHand), numeric: true },
  reserved: { title: 'Reserved', value: (r) => formatCount(r.reserved), numeric: true },
  available: { title: 'Available', value: (r) => formatCount(r.available), numeric: true },
  reorderPoint: { title: 'Reorder point', value: (r) => formatCount(r.reorderPoint), numeric: true },
  daysOfCover: { title: 'Days of cover', value: (r) => days(r.daysOfCover), numeric: true },
  backordered: { title: 'Backordered', value: (r) => formatCount(r.backordered), numeric: true },
  openRestocks: { title: 'Open restocks', value: (r) => formatCount(r.openRestocks), numeric: true },
} satisfies Record<string, Column<StockData['products'][number]>>;

export function stock(d: StockData): Rendered {
  const t = d.tiles;
  const low = d.products.filter((p) => p.low);
  const lowest = [...d.products].sort((a, b) => a.available - b.available).slice(0, 20);
  return tabPage(d, {
    tiles: [
      tileHtml('Products stocked', t.products, formatCount),
      tileHtml('Units on hand', t.onHand, formatCount),
      tileHtml('Units available', t.available, formatCount, {
        note: 'on hand less reserved for paid orders',
      }),
      tileHtml('Below reorder point', t.lowStock, formatCount, { inverse: true }),
      tileHtml('Open restocks', t.openRestocks, formatCount),
      tileHtml('Units backordered', t.backordered, formatCount, { inverse: true }),
      tileHtml('Fill rate', t.fillRate, (v) => formatRatio(v), { note: 'demand served from the shelf' }),
      tileHtml('Restock lead time', t.leadTimeDays, days, { inverse: true }),
    ],
    cards: [
      chartCard(
        'stock-moves',
        'Stock movements per day (units): reserved, consumed, released, returned, restocked, backordered',
        { wide: true },
      ),
      chartCard('stock-level', 'Units on hand at the end of each day (all products and locations)'),
      chartCard('stock-restocks', 'Restocked units and backorders per day'),
      chartCard('stock-lowest', 'Available units: the 20 lowest products', { height: 420 }),
      tableCard(
        'Low stock: below the reorder point',
        low,
        [
          col.sku,
          col.product,
          col.available,
          col.reorderPoint,
          col.daysOfCover,
          col.backordered,
          col.openRestocks,
        ],
        { id: 'stock-low', empty: 'every product is above its reorder point' },
      ),
      tableCard(
        'Restocks: open, then ordered in this period',
        d.restocks.rows,
        [
          { title: 'Restock', value: (r) => r.restockId },
          { title: 'Product', value: (r) => `${r.sku} ${r.name ?? ''}` },
          { title: 'Location', value: (r) => r.location },
          { title: 'Units', value: (r) => formatCount(r.quantity), numeric: true },
          { title: 'Status', value: (r) => r.status },
          { title: 'Ordered', value: (r) => day(r.orderedDay) },
          { title: 'Expected', value: (r) => day(r.expectedDay) },
          { title: 'Received', value: (r) => day(r.receivedDay) },
        ],
        { id: 'stock-restock-list', empty: 'no restocks in this period' },
      ),
      chartCard('stock-price-history', priceTitle(d), { wide: true }),
      tableCard(
        priceTitle(d),
        d.priceHistory,
        [
          { title: 'From', value: (r) => day(r.validFrom) },
          { title: 'Until', value: (r) => day(r.validTo) },
          { title: 'Price', value: (r) => money(r.price), numeric: true },
          { title: 'Cost', value: (r) => money(r.cost), numeric: true },
          {
            title: 'Margin',
            value: (r) => (r.marginPercent === null ? '–' : `${r.marginPercent.toFixed(2)}%`),
            numeric: true,
          },
          { title: 'Change', value: (r) => r.reason + (r.current ? ' (current)' : '') },
        ],
        {
          id: 'stock-price-history-list',
          wide: true,
          empty: 'no price changes landed from the shop database',
        },
      ),
      tableCard(
        'Stock per product (all locations, now)',
        d.products,
        [
          col.sku,
          col.product,
          col.onHand,
          col.reserved,
          col.available,
          col.reorderPoint,
          col.daysOfCover,
          col.backordered,
        ],
        { id: 'stock-products', wide: true },
      ),
    ],
    draw: () => {
      const labels = dayLabels(d.days);
      const series = (key: keyof (typeof d.days)[number]) => d.days.map((x) => x[key] as number);
      drawStacked('stock-moves', labels, [
        dataset('Reserved', series('reserved'), COLORS[0]!),
        dataset('Consumed', series('consumed'), COLORS[1]!),
        dataset('Released', series('released'), COLORS[5]!),
        dataset('Returned', series('returned'), COLORS[4]!),
        dataset('Restocked', series('restocked'), COLORS[2]!),
        dataset('Backordered', series('backordered'), COLORS[3]!),
      ]);
      drawSeries('stock-level', 'line', labels, [dataset('Units on hand', series('onHand'), COLORS[0]!)], {
        plugins: { legend: { display: false } },
      });
      drawSeries('stock-restocks', 'bar', labels, [
        dataset('Restocked', series('restocked'), COLORS[2]!),
        dataset('Backordered', series('backordered'), COLORS[3]!),
      ]);
      // A time axis: each version is a point at the (Asia/Manila) day it took effect, so a three-day
      // promotion is three days wide and a year without changes a year (a linear scale over UTC ms,
      // ticks as days: no date adapter needed).
      const steps = d.priceHistory;
      const at = (day: string) => Date.parse(`${day}T00:00:00Z`);
      const points = (value: (v: (typeof steps)[number]) => number | null) =>
        steps.map((v) => ({ x: at(v.validFrom), y: value(v) ?? 0 }));
      drawChart('stock-price-history', {
        type: 'line',
        data: {
          datasets: [
            {
              ...dataset('Price', [], COLORS[0]!),
              data: points((v) => v.price),
              stepped: true,
            },
            {
              ...dataset('Cost', [], COLORS[3]!),
              data: points((v) => v.cost),
              stepped: true,
            },
          ],
        },
        options: {
          scales: {
            x: {
              type: 'linear',
              ticks: { callback: (value) => formatDay(new Date(Number(value)).toISOString().slice(0, 10)) },
            },
          },
          plugins: {
            tooltip: {
              callbacks: {
                title: (items) => formatDay(new Date(items[0]!.parsed.x ?? 0).toISOString().slice(0, 10)),
              },
            },
          },
        },
      });
      drawSeries(
        'stock-lowest',
        'bar',
        lowest.map((p) => `${p.sku} ${p.name}`),
        [
          dataset('Available', pick(lowest, 'available'), COLORS[0]!),
          dataset('Reorder point', pick(lowest, 'reorderPoint'), COLORS[3]!),
        ],
        { indexAxis: 'y' },
      );
    },
  });
}
