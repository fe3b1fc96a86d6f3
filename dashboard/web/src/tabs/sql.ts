/// <reference lib="dom" />
import type { QueryView } from '../../../sql/queries.ts';
import { esc, type Mount } from '../kafka-api.ts';

interface SqlMeta {
  flinkUrl: string;
  maxRows: number;
  maxSeconds: number;
  maxRunning: number;
}

interface Rejected {
  error: string;
  message: string;
  line?: number;
  column?: number;
}

const EXAMPLES = [
  'SELECT order_id, order_total, order_date FROM paid_orders',
  "SELECT window_start, customer_info.provincial_code AS province, COUNT(*) AS orders\nFROM TABLE(TUMBLE(TABLE unpaid_orders, DESCRIPTOR(order_date), INTERVAL '1' MINUTE))\nGROUP BY window_start, window_end, customer_info.provincial_code",
  'SHOW TABLES',
];

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ ok: boolean; body: T }> {
  const response = await fetch(`/api/sql/${path}`, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { ok: response.ok, body: (await response.json()) as T };
}

/** A value as text; a DECIMAL (a JSON number from the gateway) with its scale's digits: 7160.00. */
function cell(v: unknown, type = ''): string {
  if (v === null || v === undefined) return '<span class="muted">NULL</span>';
  const scale = /^DECIMAL\(\d+, (\d+)\)/.exec(type)?.[1];
  if (typeof v === 'number' && scale !== undefined) return esc(v.toFixed(Number(scale)));
  return esc(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/**
 * SQL: one read-only Flink SQL statement over the pipeline's tables (flink/catalog.sql) through the
 * SQL Gateway; rows stream into the table (polled every 700 ms) up to the row and time limits;
 * Cancel cancels the query's Flink job; a rejected statement shows Flink's message and marks its
 * line and column in the box.
 */
export const mountSql: Mount = async (root, _meta, params) => {
  const meta = (await call<SqlMeta>('GET', 'meta')).body;
  const initial = params.get('statement') ?? EXAMPLES[0]!;
  root.innerHTML = `<section class="card wide"><h3>Flink SQL</h3>
    <p class="subtitle">Every pipeline topic is a table (<code>SHOW TABLES</code>; <code>docs/sql.md</code> has queries to start from).
    Read-only statements only; a query stops at ${meta.maxRows} rows or after ${meta.maxSeconds} s, and Cancel cancels its Flink job.
    <a id="sql-flink-ui" href="${esc(meta.flinkUrl)}" target="_blank" rel="noopener">Flink web UI</a></p>
    <textarea id="sql-statement" class="sql-box" spellcheck="false" rows="6">${esc(initial)}</textarea>
    <div class="kafka-form"><button id="sql-run" class="action">Run</button><button id="sql-cancel" class="action" disabled>Cancel</button>
    <select id="sql-example"><option value="">Examples…</option>${EXAMPLES.map((e, i) => `<option value="${i}">${esc(e.split('\n')[0]!)}</option>`).join('')}</select>
    <span id="sql-state" class="muted"></span></div>
    <div id="sql-error"></div><div class="table-wrap"><table id="sql-result"><thead></thead><tbody></tbody></table></div></section>`;
  const box = root.querySelector<HTMLTextAreaElement>('#sql-statement')!;
  const runButton = root.querySelector<HTMLButtonElement>('#sql-run')!;
  const cancelButton = root.querySelector<HTMLButtonElement>('#sql-cancel')!;
  const stateLine = root.querySelector<HTMLElement>('#sql-state')!;
  const errorBox = root.querySelector<HTMLElement>('#sql-error')!;
  const head = root.querySelector<HTMLElement>('#sql-result thead')!;
  const body = root.querySelector<HTMLElement>('#sql-result tbody')!;
  let current: string | null = null;
  let timer: number | undefined;
  let seen = 0;

  const describe = (q: QueryView) => {
    const job = q.jobUrl
      ? ` · <a href="${esc(q.jobUrl)}" target="_blank" rel="noopener" data-job="${esc(q.jobId)}">job ${esc(q.jobId!.slice(0, 8))}</a>`
      : '';
    const why: Record<string, string> = {
      running: 'running',
      finished: 'finished',
      'row-limit': `stopped at ${meta.maxRows} rows (job cancelled)`,
      'time-limit': `stopped after ${meta.maxSeconds} s (job cancelled)`,
      cancelled: 'cancelled (job cancelled)',
      failed: 'failed',
    };
    stateLine.innerHTML = `<span data-state="${q.state}">${esc(why[q.state] ?? q.state)}</span> · ${q.total} row(s) · ${(q.elapsedMs / 1000).toFixed(1)} s${job}`;
  };
  const showError = (e: Rejected) => {
    const where = e.line ? ` (line ${e.line}, column ${e.column})` : '';
    errorBox.innerHTML = `<div class="empty error" data-error="true" data-sql-error="${esc(e.error)}"${e.line ? ` data-line="${e.line}" data-column="${e.column}"` : ''}><b>${esc(e.error)}</b>${esc(where)}: <pre class="trace">${esc(e.message)}</pre></div>`;
    if (e.line) {
      // Put the cursor where Flink says the error is.
      const lines = box.value.split('\n');
      const offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + (e.column ?? 1) - 1;
      box.focus();
      box.setSelectionRange(offset, Math.min(box.value.length, offset + 1));
    }
  };
  const append = (q: QueryView) => {
    if (seen === 0 && head.innerHTML === '')
      head.innerHTML = `<tr><th>op</th>${q.columns.map((c) => `<th title="${esc(c.type)}">${esc(c.name)}</th>`).join('')}</tr>`;
    body.insertAdjacentHTML(
      'beforeend',
      q.rows
        .map(
          (r) =>
            `<tr><td class="muted">${esc(r.op)}</td>${r.fields.map((v, i) => `<td>${cell(v, q.columns[i]?.type)}</td>`).join('')}</tr>`,
        )
        .join(''),
    );
    seen += q.rows.length;
  };
  const finish = () => {
    window.clearInterval(timer);
    timer = undefined;
    current = null;
    runButton.disabled = false;
    cancelButton.disabled = true;
  };
  const poll = async () => {
    if (!current) return;
    const id = current;
    const r = await call<QueryView>('GET', `queries/${id}?after=${seen}`);
    if (id !== current) return;
    if (!r.ok) {
      showError(r.body as unknown as Rejected);
      finish();
      return;
    }
    append(r.body);
    describe(r.body);
    if (r.body.error) showError({ ...r.body.error, error: r.body.error.code });
    if (r.body.state !== 'running') finish();
  };

  runButton.addEventListener('click', () => {
    void (async () => {
      finish();
      runButton.disabled = true;
      errorBox.innerHTML = '';
      head.innerHTML = '';
      body.innerHTML = '';
      seen = 0;
      stateLine.textContent = 'starting (the first query opens a session and declares the tables)…';
      const r = await call<QueryView>('POST', 'queries', { statement: box.value });
      if (!r.ok) {
        stateLine.textContent = '';
        showError(r.body as unknown as Rejected);
        runButton.disabled = false;
        return;
      }
      current = r.body.id;
      cancelButton.disabled = r.body.state !== 'running';
      append(r.body);
      describe(r.body);
      if (r.body.state !== 'running') finish();
      else timer = window.setInterval(() => void poll().catch(() => undefined), 700);
    })().catch((error: unknown) => {
      showError({ error: 'ERROR', message: String((error as Error).message ?? error) });
      runButton.disabled = false;
    });
  });
  cancelButton.addEventListener('click', () => {
    if (!current) return;
    const id = current;
    cancelButton.disabled = true;
    stateLine.insertAdjacentHTML('beforeend', ' · cancelling…');
    void call<QueryView>('POST', `queries/${id}/cancel`).then((r) => {
      if (id !== current) return;
      append(r.body);
      describe(r.body);
      finish();
    });
  });
  root.querySelector<HTMLSelectElement>('#sql-example')!.addEventListener('change', (e) => {
    const i = (e.target as HTMLSelectElement).value;
    if (i !== '') box.value = EXAMPLES[Number(i)]!;
  });
  return {
    stop: () => {
      if (current) void call('POST', `queries/${current}/cancel`).catch(() => undefined);
      finish();
    },
  };
};
