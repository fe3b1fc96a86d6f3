/// <reference lib="dom" />
/**
 * Stores: the till sales of the physical stores beside the online channel, and the VAT in the
 * prices: stores ranked by sales, sales by channel over time, tenders at the till, VAT per month.
 */
import type { storesTab } from '../../../queries/stores.ts';
import { COLORS, dataset, drawRanking, drawSeries } from '../charts.ts';
import { formatCount, formatMonth, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { dayLabels, money, peso, pesoShort, pick, rangeNote, type Of, type Rendered } from './tab.ts';

export type StoresData = Of<typeof storesTab>;

/** Longer ranges are drawn by week (7 days from the range's first), as the funnel tab does. */
const WEEKLY_AFTER_DAYS = 92;

function channelSeries(days: StoresData['days']) {
  const weekly = days.length > WEEKLY_AFTER_DAYS;
  const buckets: (typeof days)[] = [];
  for (const [i, d] of days.entries()) {
    if (weekly && i % 7 !== 0) buckets.at(-1)!.push(d);
    else buckets.push([d]);
  }
  const sum = (b: typeof days, k: 'onlineSales' | 'storeSales') =>
    Math.round(b.reduce((a, d) => a + d[k] * 100, 0)) / 100;
  return {
    weekly,
    labels: dayLabels(buckets.map((b) => b[0]!)),
    online: buckets.map((b) => sum(b, 'onlineSales')),
    store: buckets.map((b) => sum(b, 'storeSales')),
  };
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
  const html = `${rangeNote(d)}
    <p class="subtitle">Delivered sales, VAT included (prices are VAT-inclusive). A store order is paid and
      handed over at the till; the online channel is shipped and counts once delivered.</p>
    <div class="tiles">
      ${tileHtml('Store sales', t.storeSales, pesoShort)}
      ${tileHtml('Store orders', t.storeOrders, formatCount)}
      ${tileHtml('Store share of sales', t.storeShare, (v) => formatRatio(v))}
      ${tileHtml('Average store basket', t.storeBasket, peso)}
      ${tileHtml('Stores selling', t.storesSelling, formatCount)}
      ${tileHtml('VAT in sales', t.vat, pesoShort)}
      ${tileHtml('VAT share of sales', t.vatShare, (v) => formatRatio(v))}
    </div>
    <div class="grid">
      ${chartCard('sto-ranking', `Stores by sales (${formatCount(selling.length)} of ${formatCount(d.stores.length)} selling)`, { height: 380 })}
      ${tableCard(
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
      )}
      ${chartCard('sto-channels', `Sales by channel, per ${series.weekly ? 'week' : 'day'}: online and at the stores' tills`, { wide: true })}
      ${chartCard('sto-tenders', 'Tenders at the till (store orders)')}
      ${tableCard(
        'Tenders',
        d.tenders,
        [
          { title: 'Tender', value: (r) => tenderName(r.tender) },
          { title: 'Orders', value: (r) => formatCount(r.orders), numeric: true },
          { title: 'Share', value: (r) => formatRatio(r.share), numeric: true },
          { title: 'Sales', value: (r) => peso(r.sales), numeric: true },
        ],
        { id: 'stores-tenders', empty: 'no store order in this period' },
      )}
      ${chartCard('sto-vat', 'VAT per month, by channel (months the range touches)', { wide: true })}
      ${tableCard(
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
      )}
    </div>`;
  const draw = () => {
    drawRanking('sto-ranking', pick(selling, 'name'), 'Sales (PHP)', pick(selling, 'sales'), COLORS[2]!);
    drawSeries(
      'sto-channels',
      'bar',
      series.labels,
      [
        dataset('Online', series.online, COLORS[0]!, { stack: 'c' }),
        dataset('Stores', series.store, COLORS[2]!, { stack: 'c' }),
      ],
      { scales: { x: { stacked: true }, y: { stacked: true, ...money } } },
    );
    drawSeries(
      'sto-tenders',
      'doughnut',
      d.tenders.map((r) => tenderName(r.tender)),
      [{ data: pick(d.tenders, 'orders'), backgroundColor: COLORS.slice(0, 4) }],
      { plugins: { legend: { position: 'right' } } },
    );
    drawSeries(
      'sto-vat',
      'bar',
      d.vatMonths.map((m) => formatMonth(m.month)),
      [
        dataset('VAT online', pick(d.vatMonths, 'onlineVat'), COLORS[0]!, { stack: 'v' }),
        dataset('VAT stores', pick(d.vatMonths, 'storeVat'), COLORS[2]!, { stack: 'v' }),
      ],
      { scales: { x: { stacked: true }, y: { stacked: true, ...money } } },
    );
  };
  return { html, draw };
}
