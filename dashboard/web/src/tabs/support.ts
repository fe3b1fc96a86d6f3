/// <reference lib="dom" />
/** Support: tickets of the daily support reports, per day and per 1,000 orders, backlog, by category and reason. */
import type { supportTab } from '../../../queries/support.ts';
import { COLORS, dataset, drawRanking, drawSeries } from '../charts.ts';
import { formatCount, formatHours, formatNumber, formatRatio } from '../format.ts';
import { chartCard, tableCard, tileHtml } from '../widgets.ts';
import { dayLabels, tabPage, pick, type Of, type Rendered } from './tab.ts';

export type SupportData = Of<typeof supportTab>;

export function support(d: SupportData): Rendered {
  const t = d.tiles;
  return tabPage(d, {
    tiles: [
      tileHtml('Tickets opened', t.tickets, formatCount),
      tileHtml('Tickets per 1,000 orders', t.per1000Orders, (v) => formatNumber(v, 1)),
      tileHtml('Time to resolve', t.hoursToResolve, formatHours, { inverse: true }),
      tileHtml('Share auto-closed (7-day rule)', t.shareAutoClosed, (v) => formatRatio(v), { inverse: true }),
      tileHtml('Open backlog', t.backlog, formatCount, { inverse: true }),
      tileHtml('Report lines dead-lettered', t.deadLetters, formatCount, { inverse: true }),
    ],
    cards: [
      chartCard('sup-days', 'Tickets per day: opened, resolved, auto-closed', { wide: true }),
      chartCard('sup-backlog', 'Open backlog at the end of each day, and tickets per 1,000 orders'),
      chartCard('sup-category', 'Tickets by category'),
      tableCard('By category', d.categories, [
        { title: 'Category', value: (r) => r.category },
        { title: 'Tickets', value: (r) => formatCount(r.tickets), numeric: true },
        { title: 'Resolved', value: (r) => formatCount(r.resolved), numeric: true },
        { title: 'Hours to resolve', value: (r) => formatHours(r.hoursToResolve), numeric: true },
        { title: 'Auto-closed', value: (r) => formatRatio(r.shareAutoClosed), numeric: true },
      ]),
      tableCard('By failure reason of the order', d.reasons, [
        { title: 'Reason', value: (r) => r.reason },
        { title: 'Tickets', value: (r) => formatCount(r.tickets), numeric: true },
        { title: 'Share', value: (r) => formatRatio(r.share), numeric: true },
      ]),
      tableCard(
        'Report lines the loader could not read (support_dead_letter; line 0 = the whole file)',
        d.deadLetters,
        [
          { title: 'Report', value: (r) => r.day },
          { title: 'Line', value: (r) => String(r.line), numeric: true },
          { title: 'Field', value: (r) => r.field },
          { title: 'Reason', value: (r) => r.reason },
        ],
        { id: 'support-dead-letters', wide: true, empty: 'every line of these reports was read' },
      ),
    ],
    draw: () => {
      drawSeries('sup-days', 'bar', dayLabels(d.days), [
        dataset('Opened', pick(d.days, 'opened'), COLORS[0]!),
        dataset('Resolved', pick(d.days, 'resolved'), COLORS[2]!),
        dataset('Auto-closed', pick(d.days, 'autoClosed'), COLORS[3]!),
      ]);
      drawSeries('sup-backlog', 'line', dayLabels(d.days), [
        dataset('Open backlog', pick(d.days, 'backlog'), COLORS[1]!),
        dataset('Tickets per 1,000 orders', pick(d.days, 'per1000Orders'), COLORS[4]!),
      ]);
      drawRanking('sup-category', pick(d.categories, 'category'), 'Tickets', pick(d.categories, 'tickets'));
    },
  });
}
