/// <reference lib="dom" />
import type { FieldChange, FieldLine } from '../../../kafka/schemas.ts';
import { apiGet, errorHtml, esc, type Mount } from '../kafka-api.ts';

interface Subject {
  subject: string;
  versions: number[];
  latestId: number | null;
  compatibility: string;
}

/** Schemas: subjects, versions, compatibility, a version's fields and a diff between two versions. */
export const mountSchemas: Mount = async (root) => {
  const { subjects } = await apiGet<{ subjects: Subject[] }>('schemas');
  const rows = subjects
    .map(
      (s) =>
        `<tr data-subject="${esc(s.subject)}"><td><a href="#" data-show="${esc(s.subject)}">${esc(s.subject)}</a></td><td>${s.versions.join(', ')}</td><td class="num">${esc(s.latestId)}</td><td>${esc(s.compatibility)}</td></tr>`,
    )
    .join('');
  root.innerHTML = `<div class="grid"><section class="card wide"><h3>Subjects</h3><table id="schema-subjects"><thead><tr><th>Subject</th><th>Versions</th><th class="num">Latest id</th><th>Compatibility</th></tr></thead><tbody>${rows || '<tr><td colspan="4">no subjects: run <code>npx orderflow topics</code></td></tr>'}</tbody></table></section>
    <section class="card wide"><h3>Compare versions</h3><form class="kafka-form" id="diff-form"><label>Subject<select name="subject">${subjects.map((s) => `<option>${esc(s.subject)}</option>`).join('')}</select></label><label>From<input name="from" size="3" value="1"></label><label>To<input name="to" size="3" value="1"></label><button>Diff</button></form><div id="schema-diff"></div></section>
    <section class="card wide"><h3>Fields</h3><div id="schema-fields" class="muted">pick a subject</div></section></div>`;
  const fields = root.querySelector<HTMLElement>('#schema-fields')!;
  const show = async (subject: string) => {
    const s = subjects.find((x) => x.subject === subject)!;
    const v = await apiGet<{ version: number; id: number; fields: FieldLine[] }>('schemas/version', {
      subject,
      version: s.versions.at(-1),
    });
    fields.innerHTML = `<p class="subtitle">${esc(subject)} version ${v.version} (id ${v.id})</p><table><thead><tr><th>Field</th><th>Type</th><th>Default</th></tr></thead><tbody>${v.fields.map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${esc(f.type)}</td><td>${esc(f.default ?? '')}</td></tr>`).join('')}</tbody></table>`;
  };
  root.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLElement>('[data-show]');
    if (!a) return;
    e.preventDefault();
    void show(a.dataset.show!).catch((error: unknown) => (fields.innerHTML = errorHtml(error)));
  });
  const form = root.querySelector<HTMLFormElement>('#diff-form')!;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const out = root.querySelector<HTMLElement>('#schema-diff')!;
    apiGet<{ changes: FieldChange[]; fromId: number; toId: number }>('schemas/diff', {
      subject: String(f.get('subject')),
      from: String(f.get('from')),
      to: String(f.get('to')),
    })
      .then((d) => {
        out.innerHTML = d.changes.length
          ? `<table><thead><tr><th>Field</th><th>Change</th><th>From</th><th>To</th></tr></thead><tbody>${d.changes.map((c) => `<tr class="diff-${c.change}"><td><code>${esc(c.path)}</code></td><td>${c.change}</td><td>${esc(c.from ?? '')}</td><td>${esc(c.to ?? '')}</td></tr>`).join('')}</tbody></table>`
          : `<div class="empty">no field differs (ids ${d.fromId} and ${d.toId})</div>`;
      })
      .catch((error: unknown) => (out.innerHTML = errorHtml(error)));
  });
  if (subjects[0]) await show(subjects[0].subject);
  return {};
};
