/// <reference lib="dom" />
import type { GroupRow } from '../../../kafka/groups.ts';
import { formatCount } from '../format.ts';
import { apiGet, esc, type Mount } from '../kafka-api.ts';

/** Consumer groups: state, members and their assignment, committed offset and lag per partition. */
export const mountGroups: Mount = async (root) => {
  const draw = async () => {
    const d = await apiGet<{ groups: GroupRow[]; lagNote: string }>('groups');
    root.innerHTML =
      `<p class="subtitle">${esc(d.lagNote)}</p><div class="grid">` +
      d.groups
        .map(
          (
            g,
          ) => `<section class="card" data-group="${esc(g.group)}"><h3>${esc(g.stage)} · <code>${esc(g.group)}</code></h3>
          <p>state <span class="pill ${g.state === 'STABLE' ? 'ok' : g.state === 'EMPTY' ? 'warn' : 'bad'}">${esc(g.state)}</span> · ${g.members.length} member(s) · lag ${formatCount(g.lag)}</p>
          ${g.members.map((m) => `<div class="muted">${esc(m.clientId)} @ ${esc(m.host)}: ${esc(m.partitions.join(', ') || 'nothing assigned')}</div>`).join('')}
          <table><thead><tr><th>Partition</th><th class="num">Committed</th><th class="num">End</th><th class="num">Lag</th><th>Member</th></tr></thead><tbody>
          ${g.partitions.map((p) => `<tr><td>${esc(p.topic)}[${p.partition}]</td><td class="num">${p.committed === null ? 'none' : formatCount(p.committed)}</td><td class="num">${formatCount(p.end)}</td><td class="num">${formatCount(p.lag)}</td><td>${esc(p.member ?? '–')}</td></tr>`).join('')}
          </tbody></table></section>`,
        )
        .join('') +
      '</div>';
  };
  await draw();
  const timer = window.setInterval(() => void draw().catch(() => undefined), 5000);
  return { stop: () => window.clearInterval(timer) };
};
