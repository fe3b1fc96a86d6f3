/// <reference lib="dom" />
import type { LiveSnapshot } from '../../live/pipeline.ts';
import { COLORS, drawRanking } from './charts.ts';
import { pick } from './tabs/tab.ts';
import {
  escapeHtml,
  formatCount,
  formatDuration,
  formatManilaTime,
  formatPeso,
  formatRatio,
} from './format.ts';
import { chartCard, tableCard, tileHtml } from './widgets.ts';

function pill(state: string): string {
  const kind = /RUNNING|up|yes/.test(state) ? 'ok' : /FAILED|down|no/.test(state) ? 'bad' : 'warn';
  return `${kind}:${state}`;
}

const rate = (v: number | null) => (v === null ? '…' : `${v.toFixed(1)}/s`);

/** The live pipeline tab: rendered whole on each refresh; charts update in place. */
export function renderLive(s: LiveSnapshot): { html: string; draw: () => void } {
  const orderTopics = s.topics.filter((t) => t.kind !== 'dlq');
  const runningConnectors = s.connect.connectors.filter((c) => c.state === 'RUNNING').length;
  const totalLag = s.stages.reduce((a, st) => a + st.lag, 0);
  const warnings: string[] = s.components
    .filter((c) => !c.up)
    .map((c) => `${c.name} is down (${c.address}): ${c.detail}`);
  if (s.recentError) warnings.push(`Newest orders: ${s.recentError}`);
  if (s.cdcError) warnings.push(`Shop change stream: ${s.cdcError}`);
  if (s.cartsError) warnings.push(`Storefront carts: ${s.cartsError}`);
  const carts = s.carts;
  const cdc = s.cdc;
  const cdcRows = cdc ? [{ table: 'all shop tables', ...cdc }, ...cdc.tables] : [];
  const minutes = cdc ? Math.round(cdc.windowMs / 60_000) : 0;
  const html = `<p class="subtitle">Topics${s.prefix ? ` with prefix “${escapeHtml(s.prefix)}”` : ''} · refreshed ${formatManilaTime(Date.parse(s.at))} (Asia/Manila) · every 3 s</p>
    ${warnings.map((w) => `<div class="empty error">${escapeHtml(w)}</div>`).join('')}
    <div class="tiles">
      ${tileHtml('Orders entered', { value: s.topics.find((t) => t.topic.endsWith('unpaid_orders') && t.kind === 'order')?.messages ?? 0 }, formatCount)}
      ${tileHtml('Finished orders', { value: s.topics.find((t) => t.topic.endsWith('finished_orders') && t.kind === 'order')?.messages ?? 0 }, formatCount)}
      ${tileHtml('Failed orders', { value: s.failures.failedOrders }, formatCount)}
      ${tileHtml('Dead-lettered records', { value: s.failures.dlqTotal }, formatCount)}
      ${tileHtml('Consumer lag (all stages)', { value: totalLag }, formatCount)}
      ${tileHtml('Connectors running', { value: runningConnectors }, formatCount, { note: `of ${s.connect.connectors.length}` })}
      ${
        cdc
          ? tileHtml('CDC lag (shop to warehouse, p95)', { value: cdc.p95Ms }, formatDuration, {
              note: cdc.changes
                ? `${formatCount(cdc.changes)} changes landed in ${minutes} min`
                : `no change landed in ${minutes} min`,
            })
          : ''
      }
      ${
        cdc
          ? tileHtml('Newest shop change landed', { value: cdc.newest?.ageMs ?? null }, formatDuration, {
              note: cdc.newest ? `ago, in ${cdc.newest.table}` : 'no shop rows landed yet',
            })
          : ''
      }
      ${
        carts
          ? tileHtml('Carts open', { value: carts.open }, formatCount, {
              note: `not checked out, idle under 24 h · ${formatCount(carts.abandoned)} abandoned so far`,
            })
          : ''
      }
      ${
        carts
          ? tileHtml(
              'Cart conversion (last simulated hour)',
              { value: carts.conversion },
              (v) => formatRatio(v),
              {
                note: `checked out ${formatCount(carts.checkouts)} / created ${formatCount(carts.created)} in the hour to ${formatManilaTime(carts.asOf)}`,
              },
            )
          : ''
      }
    </div>
    <div class="grid">
      ${tableCard(
        'Components',
        s.components,
        [
          { title: 'Component', value: (c) => c.name },
          { title: 'Address', value: (c) => c.address },
          { title: 'State', value: (c) => pill(c.up ? 'up' : 'down') },
          { title: 'Detail', value: (c) => c.detail },
        ],
        { id: 'live-components', wide: true },
      )}
      ${chartCard('live-topics', 'Records per topic')}
      ${chartCard('live-lag', 'Consumer lag per stage (records behind)')}
      ${tableCard(
        'Topics',
        s.topics.filter((t) => t.exists),
        [
          { title: 'Topic', value: (t) => t.topic },
          { title: 'Kind', value: (t) => t.kind },
          { title: 'Partitions', value: (t) => String(t.partitions), numeric: true },
          { title: 'Records', value: (t) => formatCount(t.messages), numeric: true },
          { title: 'Rate', value: (t) => rate(t.ratePerSecond), numeric: true },
        ],
        {
          id: 'live-topic-table',
          empty: 'no pipeline topics yet: run `npx orderflow topics` or `npx orderflow run`',
        },
      )}
      ${tableCard(
        'Stages (consumer groups)',
        s.stages,
        [
          { title: 'Stage', value: (t) => t.stage },
          { title: 'Group', value: (t) => t.group },
          {
            title: 'Committed',
            value: (t) => (t.active ? formatCount(t.committed) : 'not started'),
            numeric: true,
          },
          { title: 'Lag', value: (t) => formatCount(t.lag), numeric: true },
          { title: 'Throughput', value: (t) => rate(t.throughputPerSecond), numeric: true },
        ],
        { id: 'live-stage-table' },
      )}
      ${tableCard('Processors (/metrics)', s.processors, [
        { title: 'Endpoint', value: (p) => p.url },
        { title: 'Stage', value: (p) => p.stage ?? '–' },
        { title: 'Reachable', value: (p) => (p.reachable ? 'yes' : 'no') },
        { title: 'In', value: (p) => formatCount(p.recordsIn), numeric: true },
        { title: 'Out', value: (p) => formatCount(p.recordsOut), numeric: true },
        { title: 'Failed', value: (p) => formatCount(p.failed), numeric: true },
        { title: 'DLQ', value: (p) => formatCount(p.dlq), numeric: true },
      ])}
      ${tableCard(
        'Connect sink connectors',
        s.connect.connectors,
        [
          { title: 'Connector', value: (c) => c.name },
          { title: 'State', value: (c) => pill(c.state) },
          { title: 'Tasks', value: (c) => c.tasks.map((t) => `${t.id}:${t.state}`).join(' ') || 'none' },
        ],
        {
          empty: s.connect.available
            ? 'no orderflow connectors deployed: npx orderflow connect deploy'
            : 'Kafka Connect is not reachable',
        },
      )}
      ${
        cdc
          ? tableCard(
              `Shop change stream (Debezium source to warehouse): lag of the changes landed in the last ${minutes} min`,
              cdcRows,
              [
                { title: 'Table', value: (r) => r.table },
                { title: 'Changes', value: (r) => formatCount(r.changes), numeric: true },
                { title: 'Median lag', value: (r) => formatDuration(r.medianMs), numeric: true },
                { title: 'p95 lag', value: (r) => formatDuration(r.p95Ms), numeric: true },
                { title: 'Max lag', value: (r) => formatDuration(r.maxMs), numeric: true },
              ],
              { id: 'live-cdc' },
            )
          : ''
      }
      ${tableCard('Dead-letter topics', s.failures.dlq, [
        { title: 'Topic', value: (d) => d.topic },
        { title: 'Records', value: (d) => formatCount(d.messages), numeric: true },
      ])}
      ${tableCard(
        'Newest orders (decoded from Avro)',
        s.recentOrders,
        [
          { title: 'Topic', value: (o) => o.topic },
          { title: 'Order', value: (o) => o.orderId },
          { title: 'Placed (Manila)', value: (o) => formatManilaTime(o.orderDate) },
          { title: 'Customer', value: (o) => o.customer },
          { title: 'Province', value: (o) => o.province },
          { title: 'Lines', value: (o) => String(o.items), numeric: true },
          { title: 'Total', value: (o) => formatPeso(Number(o.total)), numeric: true },
          { title: 'Status', value: (o) => o.status },
          { title: 'Failure', value: (o) => o.failure ?? '' },
        ],
        { wide: true, id: 'live-recent', empty: 'no orders on the order topics yet' },
      )}
    </div>`;
  const draw = () => {
    drawRanking('live-topics', pick(orderTopics, 'topic'), 'Records', pick(orderTopics, 'messages'));
    drawRanking('live-lag', pick(s.stages, 'stage'), 'Lag', pick(s.stages, 'lag'), COLORS[3]!);
  };
  return { html: html.replace(/>(ok|bad|warn):([A-Za-z_]+)</g, '><span class="pill $1">$2</span><'), draw };
}
