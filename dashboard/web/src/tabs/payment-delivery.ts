/// <reference lib="dom" />
/** Payment & delivery: time to pay, ship and deliver, method and express split, on-time rate, failure funnel. */
import type { paymentDeliveryTab } from '../../../queries/payment-delivery.ts';
import { COLORS, dataset, drawSeries, drawShares, drawStacked } from '../charts.ts';
import { formatCount, formatHours, formatMonth, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { pick, tabPage, type Of, type Rendered } from './tab.ts';

export type PaymentDeliveryData = Of<typeof paymentDeliveryTab>;

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
  return tabPage(d, {
    tiles: [
      tileHtml('On-time delivery', t.onTimeRate, (v) => formatRatio(v)),
      tileHtml('Time to pay', t.avgHoursToPay, formatHours, { inverse: true }),
      tileHtml('Time to ship', t.avgHoursToShip, formatHours, { inverse: true }),
      tileHtml('Time to deliver', t.avgHoursToDeliver, formatHours, { inverse: true }),
      tileHtml('Orders placed', t.orders, formatCount),
    ],
    cards: [
      chartCard('pay-funnel', 'Failure funnel: orders entering each stage and failing there'),
      tableCard(
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
      ),
      chartCard('pay-method', 'Payment method'),
      chartCard('pay-express', 'Shipping'),
      chartCard('pay-ontime', 'On-time rate and days to deliver, by month of order', { wide: true }),
    ],
    draw: () => {
      drawStacked(
        'pay-funnel',
        pick(d.funnel, 'stage'),
        [
          dataset(
            'Passed',
            d.funnel.map((s) => s.entered - s.failed),
            COLORS[2]!,
          ),
          dataset('Failed', pick(d.funnel, 'failed'), COLORS[3]!),
        ],
        { horizontal: true },
      );
      drawShares('pay-method', pick(d.methods, 'method'), pick(d.methods, 'orders'), COLORS.slice(0, 3));
      drawShares('pay-express', pick(d.shipping, 'kind'), pick(d.shipping, 'orders'), [
        COLORS[1]!,
        COLORS[5]!,
      ]);
      drawSeries(
        'pay-ontime',
        'line',
        d.monthly.map((m) => formatMonth(m.month)),
        [
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
        {
          scales: {
            y: { min: 0, max: 100 },
            days: { position: 'right', min: 0, grid: { drawOnChartArea: false } },
          },
        },
      );
    },
  });
}
