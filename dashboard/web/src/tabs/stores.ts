/// <reference lib="dom" />
/**
 * Stores: the till sales of the physical stores beside the online channel, and the VAT in the
 * prices: stores ranked by sales, sales by channel over time, tenders at the till, VAT per month.
 */
import type { storesTab } from '../../../queries/stores.ts';
import { COLORS, dataset, drawRanking, drawShares, drawStacked } from '../charts.ts';
import { formatCount, formatMonth, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { dayBuckets, money, peso, pesoShort, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type StoresData = Of<typeof storesTab>;

/** Sales by channel per day, or per week (7 days from the range's first) over a long range. */
function channelSeries(days: StoresData['days']) {
  const { weekly, labels, per } = dayBuckets(days);
  // Summed in centavos, so that a week's pesos are exact.
  const sales = (k: 'onlineSales' | 'storeSales') =>
    per((b) => Math.round(b.reduce((a, d) => a + d[k] * 100, 0)) / 100);
  return { weekly, labels, online: sales('onlineSales'), store: sales('storeSales') };
}

const TENDER_NAMES: Record<string, string> = {
  CASH: 'Cash',
  DEBIT_CARD: 'Debit card',
  CREDIT_CARD: 'Credit card',
  DIGITAL_WALLET: 'E-wallet',
};
const tenderName = (t: string) => TENDER_NAMES[t] ?? t;

export function stores(d: StoresData): Rendered {
  const t = d.tiles;
  const series = channelSeries(d.days);
  const selling = d.stores.filter((s) => s.orders > 0);
  return tabPage(d, {
    intro: `
    <p class="subtitle">Delivered sales, VAT included (prices are VAT-inclusive). A store order is paid and
      handed over at the till; the online channel is shipped and counts once delivered.</p>`,
    tiles: [
      tileHtml('Store sales', t.storeSales, pesoShort),
      tileHtml('Store orders', t.storeOrders, formatCount),
      tileHtml('Store share of sales', t.storeShare, (v) => formatRatio(v)),
      tileHtml('Average store basket', t.storeBasket, peso),
      tileHtml('Stores selling', t.storesSelling, formatCount),
      tileHtml('VAT in sales', t.vat, pesoShort),
      tileHtml('VAT share of sales', t.vatShare, (v) => formatRatio(v)),
    ],
    cards: [
      chartCard(
        'sto-ranking',
        `Stores by sales (${formatCount(selling.length)} of ${formatCount(d.stores.length)} selling)`,
        { height: 380 },
      ),
      tableCard(
        'Sales per store',
        d.stores,
        [
          { title: '#', value: (r) => String(r.rank), numeric: true },
          { title: 'Store', value: (r) => r.name },
          { title: 'Province', value: (r) => r.province ?? '–' },
          { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { title: 'Units', value: (r) => formatCount(r.units), numeric: true },
          { title: 'Sales', value: (r) => pesoShort(r.sales), numeric: true },
          { title: 'Share', value: (r) => formatRatio(r.share), numeric: true },
        ],
        { id: 'stores-ranking', empty: 'no store in the reference data' },
      ),
      chartCard(
        'sto-channels',
        `Sales by channel, per ${series.weekly ? 'week' : 'day'}: online and at the stores' tills`,
        { wide: true },
      ),
      chartCard('sto-tenders', 'Tenders at the till (store orders)'),
      tableCard(
        'Tenders',
        d.tenders,
        [
          { title: 'Tender', value: (r) => tenderName(r.tender) },
          { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { title: 'Share', value: (r) => formatRatio(r.share), numeric: true },
          { title: 'Sales', value: (r) => peso(r.sales), numeric: true },
        ],
        { id: 'stores-tenders', empty: 'no store order in this period' },
      ),
      chartCard('sto-vat', 'VAT per month, by channel (months the range touches)', { wide: true }),
      tableCard(
        'VAT per month: taxable and exempt or zero-rated sales',
        d.vatMonths,
        [
          { title: 'Month', value: (r) => formatMonth(r.month) },
          { title: 'Sales', value: (r) => peso(r.sales), numeric: true },
          { title: 'Taxable', value: (r) => peso(r.taxableSales), numeric: true },
          { title: 'Exempt / 0%', value: (r) => peso(r.exemptSales), numeric: true },
          { title: 'No VAT recorded', value: (r) => peso(r.unrecordedSales), numeric: true },
          { title: 'VAT online', value: (r) => peso(r.onlineVat), numeric: true },
          { title: 'VAT stores', value: (r) => peso(r.storeVat), numeric: true },
          { title: 'VAT', value: (r) => peso(r.vat), numeric: true },
        ],
        { id: 'stores-vat', wide: true, empty: 'no delivered sales in these months' },
      ),
    ],
    draw: () => {
      drawRanking('sto-ranking', pick(selling, 'name'), 'Sales (PHP)', pick(selling, 'sales'), COLORS[2]!);
      drawStacked(
        'sto-channels',
        series.labels,
        [dataset('Online', series.online, COLORS[0]!), dataset('Stores', series.store, COLORS[2]!)],
        { value: money },
      );
      drawShares(
        'sto-tenders',
        d.tenders.map((r) => tenderName(r.tender)),
        pick(d.tenders, 'orders'),
        COLORS.slice(0, 4),
      );
      drawStacked(
        'sto-vat',
        d.vatMonths.map((m) => formatMonth(m.month)),
        [
          dataset('VAT online', pick(d.vatMonths, 'onlineVat'), COLORS[0]!),
          dataset('VAT stores', pick(d.vatMonths, 'storeVat'), COLORS[2]!),
        ],
        { value: money },
      );
    },
  });
}
