/// <reference lib="dom" />
/**
 * Funnel: the storefront carts created in the range, visits -> carts -> checkouts -> paid ->
 * delivered with each step's conversion and abandonment, conversion per day, payment completion,
 * products by add-to-cart interest, trending products and the dead-lettered cart events.
 */
import type { funnelTab } from '../../../queries/funnel.ts';
import { COLORS, dataset, drawRanking, drawSeries } from '../charts.ts';
import { formatCount, formatNumber, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { dayBuckets, pick, tabPage, type Of, type Rendered } from './tab.ts';

export type FunnelData = Of<typeof funnelTab>;

const share = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 100);

type Step = 'visits' | 'carts' | 'checkouts' | 'paid' | 'delivered' | 'landed';

/** The conversion rates per day, or per week (rates of the week's sums) over a long range. */
function conversionSeries(days: FunnelData['days']) {
  const { weekly, labels, per } = dayBuckets(days);
  const sum = (b: typeof days, k: Step) => b.reduce((a, d) => a + d[k], 0);
  /** Of the `from` of each point, the share that reached `to` (percent). */
  const rate = (to: Step, from: Step) => per((b) => share(sum(b, to), sum(b, from)));
  return {
    weekly,
    labels,
    visitToCart: rate('carts', 'visits'),
    cartToCheckout: rate('checkouts', 'carts'),
    paymentCompletion: rate('paid', 'landed'),
    paidToDelivered: rate('delivered', 'paid'),
  };
}

const change = (v: number | null) => (v === null ? 'new' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(0)}%`);

export function funnel(d: FunnelData): Rendered {
  const t = d.tiles;
  const f = d.funnel;
  const series = conversionSeries(d.days);
  return tabPage(d, {
    intro: `<p class="subtitle">Carts by the day they were created: their checkouts, payments and deliveries count
      for that day. Paid and delivered count landed orders (finished or failed), so the newest days still grow.</p>`,
    tiles: [
      tileHtml('Visits', t.visits, formatCount),
      tileHtml('Carts', t.carts, formatCount),
      tileHtml('Checkouts', t.checkouts, formatCount),
      tileHtml('Paid', t.paid, formatCount),
      tileHtml('Delivered', t.delivered, formatCount),
      tileHtml('Cart abandonment', t.cartAbandonment, (v) => formatRatio(v), { inverse: true }),
      tileHtml('Payment completion', t.paymentCompletion, (v) => formatRatio(v)),
      tileHtml('Visit to delivered', t.visitToDelivered, (v) => formatRatio(v, 2)),
      tileHtml('Cart events per order', t.eventsPerOrder, (v) => formatNumber(v, 2)),
      tileHtml('Cart events dead-lettered', { value: d.deadLettersTotal }, formatCount, { inverse: true }),
    ],
    cards: [
      chartCard(
        'fun-steps',
        `Funnel from the cart: carts, checkouts, paid, delivered (of ${formatCount(f.visits)} visits)`,
      ),
      tableCard(
        `Steps (${formatCount(f.abandoned)} carts abandoned, ${formatCount(f.open)} still open; ${formatCount(f.landed)} orders landed)`,
        f.steps,
        [
          { title: 'Step', value: (r) => r.step },
          { title: 'Count', value: (r) => formatCount(r.count), numeric: true },
          { title: 'Conversion', value: (r) => formatRatio(r.conversion), numeric: true },
          { title: 'Abandonment', value: (r) => formatRatio(r.abandonment), numeric: true },
        ],
        { id: 'funnel-steps' },
      ),
      chartCard(
        'fun-days',
        `Conversion by ${series.weekly ? 'week' : 'day'} (%): visit to cart, cart to checkout, payment completion, paid to delivered`,
        { wide: true },
      ),
      chartCard('fun-interest', 'Top 10 products by add-to-cart interest (adds in the range)'),
      tableCard(
        'Add-to-cart interest',
        d.interest,
        [
          { title: 'Product', value: (r) => r.name },
          { title: 'Adds', value: (r) => formatCount(r.adds), numeric: true },
          { title: 'Adds per view', value: (r) => formatRatio(r.addPerView), numeric: true },
          { title: 'Removals', value: (r) => formatCount(r.removals), numeric: true },
          { title: 'Checked out', value: (r) => formatRatio(r.checkedOut), numeric: true },
        ],
        { id: 'funnel-interest' },
      ),
      tableCard(
        'Trending: adds in the last 7 landed days against the 7 before',
        d.trending,
        [
          { title: 'Rank', value: (r) => String(r.rank), numeric: true },
          { title: 'Product', value: (r) => r.name },
          { title: 'Last 7 days', value: (r) => formatCount(r.addsLast7Days), numeric: true },
          { title: '7 days before', value: (r) => formatCount(r.addsPrevious7Days), numeric: true },
          { title: 'Change', value: (r) => change(r.change), numeric: true },
        ],
        { id: 'funnel-trending', empty: 'no adds in the last 14 landed days' },
      ),
      d.deadLetters.length ? chartCard('fun-dead-letters', 'Cart events dead-lettered, by reason') : '',
      tableCard(
        'Dead-lettered cart events (cart_event_dead_letters)',
        d.deadLetters,
        [
          { title: 'Reason', value: (r) => r.reason },
          { title: 'Events', value: (r) => formatCount(r.events), numeric: true },
        ],
        { id: 'funnel-dead-letters', empty: 'every cart event of the range fitted its cart' },
      ),
    ],
    draw: () => {
      // Visits are some 12 times the carts: the chart starts at the cart so that the later steps show.
      const fromCart = f.steps.slice(1);
      drawRanking('fun-steps', pick(fromCart, 'step'), 'Count', pick(fromCart, 'count'), COLORS[2]!);
      drawSeries(
        'fun-days',
        'line',
        series.labels,
        [
          dataset('Visit to cart', series.visitToCart, COLORS[0]!),
          dataset('Cart to checkout', series.cartToCheckout, COLORS[1]!),
          dataset('Payment completion', series.paymentCompletion, COLORS[2]!),
          dataset('Paid to delivered', series.paidToDelivered, COLORS[4]!),
        ],
        { scales: { y: { min: 0, max: 100 } } },
      );
      const top = d.interest.slice(0, 10);
      drawRanking('fun-interest', pick(top, 'name'), 'Adds', pick(top, 'adds'));
      if (d.deadLetters.length)
        drawRanking(
          'fun-dead-letters',
          pick(d.deadLetters, 'reason'),
          'Events',
          pick(d.deadLetters, 'events'),
          COLORS[3]!,
        );
    },
  });
}
