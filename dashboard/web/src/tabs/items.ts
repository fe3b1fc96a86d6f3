/// <reference lib="dom" />
/** Items: revenue, COGS and profit per SKU and category, top sellers, market-basket pairs. */
import type { itemsTab } from '../../../queries/items.ts';
import { COLORS, dataset, drawRanking, drawSeries, drawStacked } from '../charts.ts';
import { formatCount, formatPercent, formatPeso, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { money, pesoShort, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type ItemsData = Of<typeof itemsTab>;

export function items(d: ItemsData): Rendered {
  const bySku = d.perSku.slice(0, 20);
  return tabPage(d, {
    tiles: [
      tileHtml('SKUs sold', { value: d.totals.skusSold }, formatCount),
      tileHtml('Units sold', { value: d.totals.units }, formatCount),
      tileHtml('Revenue', { value: d.totals.revenue }, pesoShort),
      tileHtml('Profit', { value: d.totals.profit }, pesoShort),
    ],
    cards: [
      chartCard('itm-sku', 'Revenue = COGS + profit, top 20 SKUs by revenue', { wide: true, height: 320 }),
      chartCard('itm-top', 'Top sellers by units', { height: 300 }),
      chartCard('itm-category', 'Revenue and profit by category', { height: 300 }),
      tableCard(
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
      ),
      tableCard(
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
      ),
    ],
    draw: () => {
      drawStacked(
        'itm-sku',
        bySku.map((s) => s.name),
        [
          dataset('COGS', pick(bySku, 'cogs'), COLORS[1]!),
          dataset('Profit', pick(bySku, 'profit'), COLORS[2]!),
        ],
        { value: money, category: { ticks: { autoSkip: false, maxRotation: 60 } } },
      );
      const categories = new Map<string, { revenue: number; profit: number }>();
      for (const s of d.perSku) {
        const c = categories.get(s.category ?? 'Other') ?? { revenue: 0, profit: 0 };
        c.revenue += s.revenue;
        c.profit += s.profit;
        categories.set(s.category ?? 'Other', c);
      }
      const byCategory = [...categories.entries()].sort((a, b) => b[1].revenue - a[1].revenue);
      drawSeries(
        'itm-category',
        'bar',
        byCategory.map(([name]) => name),
        [
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
        { indexAxis: 'y', scales: { x: money, y: { ticks: { autoSkip: false } } } },
      );
      drawRanking('itm-top', pick(d.topSellers, 'name'), 'Units', pick(d.topSellers, 'units'));
    },
  });
}
