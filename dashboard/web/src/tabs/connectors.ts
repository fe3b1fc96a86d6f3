/// <reference lib="dom" />
import { apiGet, apiPost, bindToken, errorHtml, esc, writeNote, type Mount } from '../kafka-api.ts';

interface Connector {
  name: string;
  deployed: boolean;
  state: string;
  trace?: string | null;
  tasks: { id: number; state: string; worker: string | null; trace: string | null }[];
}

const pill = (s: string) =>
  `<span class="pill ${s === 'RUNNING' ? 'ok' : s === 'FAILED' ? 'bad' : 'warn'}">${esc(s)}</span>`;

/** Connectors: state, tasks, the trace of a failed task, restart/pause/resume. */
export const mountConnectors: Mount = async (root, meta) => {
  const draw = async (message = '') => {
    const { connectors } = await apiGet<{ connectors: Connector[] }>('connectors');
    const can = meta.writesAllowed;
    root.innerHTML = `${writeNote(meta)}<div id="connector-message">${message}</div><div class="grid">${connectors
      .map(
        (
          c,
        ) => `<section class="card" data-connector="${esc(c.name)}"><h3><code>${esc(c.name)}</code> ${pill(c.state)}</h3>
        ${c.deployed && can ? ['restart', 'pause', 'resume'].map((a) => `<button class="action" data-name="${esc(c.name)}" data-action="${a}">${a}</button>`).join(' ') : ''}
        ${c.trace ? `<pre class="trace">${esc(c.trace)}</pre>` : ''}
        <table><thead><tr><th>Task</th><th>State</th><th>Worker</th></tr></thead><tbody>${c.tasks.map((t) => `<tr><td>${t.id}</td><td>${pill(t.state)}</td><td>${esc(t.worker)}</td></tr>${t.trace ? `<tr><td colspan="3"><pre class="trace">${esc(t.trace)}</pre></td></tr>` : ''}`).join('')}</tbody></table></section>`,
      )
      .join('')}</div>`;
    bindToken(root);
  };
  root.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (!b) return;
    apiPost<{ status: number }>('connectors/action', { name: b.dataset.name, action: b.dataset.action })
      .then((r) =>
        draw(`<p class="subtitle">${esc(b.dataset.action)} ${esc(b.dataset.name)}: HTTP ${r.status}</p>`),
      )
      .catch((error: unknown) => draw(errorHtml(error)));
  });
  await draw();
  const timer = window.setInterval(() => void draw().catch(() => undefined), 5000);
  return { stop: () => window.clearInterval(timer) };
};
