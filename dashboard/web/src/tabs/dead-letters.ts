/// <reference lib="dom" />
import type { DeadLetter } from '../../../kafka/dead-letters.ts';
import {
  apiGet,
  apiPost,
  bindToken,
  errorHtml,
  esc,
  hexDump,
  recordHtml,
  topicOptions,
  writeNote,
  type Mount,
} from '../kafka-api.ts';

/** Dead letters: error headers and original bytes of each; replay (once) or discard. */
export const mountDeadLetters: Mount = async (root, meta) => {
  root.innerHTML = `${writeNote(meta)}<form class="kafka-form" id="dlq-form"><label>Topic<select name="topic"><option value="">every DLQ</option>${topicOptions(meta, '', ['dlq'])}</select></label>
    <label>Status<select name="status"><option>all</option><option>pending</option><option>replayed</option><option>discarded</option></select></label><button>Show</button></form>
    <div id="dlq-message"></div><div id="dlq-summary" class="subtitle"></div><div id="dlq-list"></div>`;
  bindToken(root);
  const form = root.querySelector<HTMLFormElement>('#dlq-form')!;
  const list = root.querySelector<HTMLElement>('#dlq-list')!;
  const message = root.querySelector<HTMLElement>('#dlq-message')!;
  const draw = async () => {
    const f = new FormData(form);
    try {
      const d = await apiGet<{ deadLetters: DeadLetter[]; topics: { topic: string; records: number }[] }>(
        'dead-letters',
        {
          topic: String(f.get('topic') ?? ''),
          status: String(f.get('status') ?? 'all'),
        },
      );
      root.querySelector('#dlq-summary')!.textContent = d.topics
        .map((t) => `${t.topic}: ${t.records}`)
        .join(' · ');
      list.innerHTML = d.deadLetters.length
        ? d.deadLetters
            .map((l) => {
              const actions =
                meta.writesAllowed && !l.handled
                  ? `<button class="action" data-act="replay" data-c="${esc(l.coordinates)}">replay</button> <button class="action" data-act="discard" data-c="${esc(l.coordinates)}">discard</button>`
                  : '';
              const state = l.handled
                ? `<span class="pill ok">${esc(l.handled.action)} ${esc(l.handled.at)}</span>`
                : '<span class="pill warn">pending</span>';
              return `<section class="card wide" data-dead-letter="${esc(l.coordinates)}"><h3><code>${esc(l.coordinates)}</code> ${state} ${actions}</h3>
                <table><tbody><tr><th>error</th><td>${esc(l.error)}</td></tr><tr><th>code</th><td>${esc(l.code)}</td></tr><tr><th>stage</th><td>${esc(l.stage)}</td></tr>
                <tr><th>source</th><td>${esc(l.sourceTopic)}[${esc(l.sourcePartition)}]@${esc(l.sourceOffset)}</td></tr></tbody></table>
                <details><summary>original bytes (${l.originalHex.length / 2} B)</summary><pre class="hex">${esc(hexDump(l.originalHex))}</pre></details>${recordHtml(l)}</section>`;
            })
            .join('')
        : '<div class="empty">no dead letters</div>';
    } catch (error) {
      list.innerHTML = errorHtml(error);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void draw();
  });
  list.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-act]');
    if (!b) return;
    // Kafka topic names never contain '/': the coordinates split cleanly.
    const [topic, partition, offset] = b.dataset.c!.split('/');
    b.disabled = true;
    apiPost<{ coordinates: string; action: { action: string; target?: { topic: string } } }>(
      `dead-letters/${b.dataset.act}`,
      { topic, partition: Number(partition), offset: Number(offset) },
    )
      .then(
        (r) =>
          (message.innerHTML = `<p class="subtitle" data-done="${esc(r.coordinates)}">${esc(r.coordinates)}: ${esc(r.action.action)}${r.action.target ? ` to ${esc(r.action.target.topic)}` : ''}</p>`),
      )
      .catch((error: unknown) => (message.innerHTML = errorHtml(error)))
      .finally(() => void draw());
  });
  await draw();
  return {};
};
