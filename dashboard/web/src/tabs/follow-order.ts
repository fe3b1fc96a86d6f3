/// <reference lib="dom" />
import type { FollowResult } from '../../../kafka/follow-order.ts';
import { apiGet, errorHtml, esc, recordHtml, type Mount } from '../kafka-api.ts';

const duration = (ms: number | null) =>
  ms === null
    ? ''
    : ms < 1000
      ? `${ms} ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${(ms / 60_000).toFixed(1)} min`;

/** Follow one order: every record it produced, split records and PostgreSQL rows, in time order. */
export const mountFollow: Mount = async (root, _meta, params) => {
  root.innerHTML = `<form class="kafka-form" id="follow-form"><label>Order id<input name="order" size="30" value="${esc(params.get('order') ?? '')}" placeholder="01J…"></label><button type="submit">Follow</button></form><div id="follow-result"></div>`;
  const form = root.querySelector<HTMLFormElement>('#follow-form')!;
  const out = root.querySelector<HTMLElement>('#follow-result')!;
  const follow = async () => {
    const order = String(new FormData(form).get('order') ?? '').trim();
    if (!order) {
      out.innerHTML = '<div class="empty">Type an order id (the Messages view shows them as keys).</div>';
      return;
    }
    out.innerHTML = '<div class="empty">reading…</div>';
    try {
      const d = await apiGet<FollowResult>('follow', { order });
      if (!d.found) {
        out.innerHTML = `<div class="empty" data-found="false">No record of order ${esc(order)} on the pipeline's topics or in PostgreSQL.</div>`;
        return;
      }
      const steps = d.steps
        .map(
          (s) =>
            `<tr><td>${esc(s.stage)}</td><td><code>${esc(s.topic)}</code></td><td>${esc(s.writtenAt)}</td><td class="num">${duration(s.sincePreviousMs)}</td></tr>`,
        )
        .join('');
      const events = Object.entries(d.eventTimes)
        .filter(([, v]) => v)
        .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
        .join('');
      const pg = d.postgres
        .map(
          (t) =>
            `<h4>${esc(t.table)} (${t.rows.length} row${t.rows.length === 1 ? '' : 's'})</h4>` +
            (t.rows.length
              ? `<pre class="json">${esc(JSON.stringify(t.rows, null, 2))}</pre>`
              : '<div class="muted">not landed</div>'),
        )
        .join('');
      out.innerHTML = `<p class="subtitle" data-found="true">${d.records.length} Kafka records · read in ${d.readMs} ms${d.complete ? '' : ' · stopped at the time limit: some records may be missing'}</p>
        <div class="grid"><section class="card"><h3>Stages (write time on Kafka)</h3><table id="follow-steps"><thead><tr><th>Stage</th><th>Topic</th><th>Written</th><th class="num">Since previous</th></tr></thead><tbody>${steps}</tbody></table></section>
        <section class="card"><h3>The order's own event times (simulated)</h3><table><tbody>${events}</tbody></table></section>
        <section class="card wide"><h3>Every record, in time order</h3><div id="follow-records">${d.records.map((r) => recordHtml(r)).join('')}</div></section>
        <section class="card wide" id="follow-postgres"><h3>PostgreSQL</h3>${d.postgresError ? errorHtml(new Error(d.postgresError)) : d.postgresNote ? `<div class="empty">${esc(d.postgresNote)}</div>` : pg}</section></div>`;
    } catch (error) {
      out.innerHTML = errorHtml(error);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams(location.search);
    p.set('order', String(new FormData(form).get('order') ?? ''));
    history.replaceState(null, '', `?${p.toString()}`);
    void follow();
  });
  await follow();
  return {};
};
