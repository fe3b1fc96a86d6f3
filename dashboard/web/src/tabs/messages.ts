/// <reference lib="dom" />
import type { MessagesPage } from '../../../kafka/messages.ts';
import { apiGet, errorHtml, esc, recordHtml, topicOptions, type Mount } from '../kafka-api.ts';

/** Messages: one topic by partition and offset, seek to a time, newest or oldest first, filters, a live tail. */
export const mountMessages: Mount = async (root, meta, params) => {
  const topic = params.get('topic') ?? meta.topics[0]?.topic ?? '';
  root.innerHTML = `<form class="kafka-form" id="messages-form">
      <label>Topic<select name="topic">${topicOptions(meta, topic)}</select></label>
      <label>Partition<input name="partition" size="4" placeholder="all" inputmode="numeric"></label>
      <label>Offset<input name="offset" size="8" placeholder="–" inputmode="numeric"></label>
      <label>Seek to time<input name="timestamp" type="datetime-local" step="1"></label>
      <label>Order<select name="order"><option value="newest">newest first</option><option value="oldest">oldest first</option></select></label>
      <label>Page<input name="limit" size="4" value="20" inputmode="numeric"></label>
      <label>Key contains<input name="key" size="14"></label>
      <label>Field<input name="field" size="22" placeholder="shipping_info.order_status"></label>
      <label>equals<input name="value" size="12"></label>
      <button type="submit">Read</button>
      <label class="inline"><span>Live tail</span><input type="checkbox" name="tail"></label>
    </form><div id="messages-status" class="subtitle"></div><div id="messages-list"></div>`;
  const form = root.querySelector<HTMLFormElement>('#messages-form')!;
  const list = root.querySelector<HTMLElement>('#messages-list')!;
  const status = root.querySelector<HTMLElement>('#messages-status')!;
  const read = async () => {
    const f = new FormData(form);
    const v = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    const ts = v('timestamp');
    try {
      const page = await apiGet<MessagesPage>('messages', {
        topic: v('topic'),
        partition: v('partition'),
        offset: v('offset'),
        // datetime-local is the browser's local time; send it as an instant.
        timestamp: ts ? new Date(ts).toISOString() : undefined,
        order: v('order'),
        limit: v('limit'),
        key: v('key'),
        field: v('field'),
        value: v('field') ? (v('value') ?? '') : undefined,
      });
      const marks = page.partitions.map((p) => `[${p.partition}] ${p.low}–${p.high}`).join(' · ');
      status.innerHTML = `${page.records.length} record(s) · ${page.scanned} read · ${page.complete ? 'complete' : 'stopped at the limit'} · ${page.readMs} ms · offsets ${esc(marks)} · read from ${esc(page.from.map((x) => `[${x.partition}]@${x.offset}`).join(' '))}`;
      list.innerHTML = page.records.length
        ? page.records.map((r) => recordHtml(r)).join('')
        : '<div class="empty">no records here</div>';
      list.querySelector('details')?.setAttribute('open', '');
    } catch (error) {
      list.innerHTML = errorHtml(error);
      status.textContent = '';
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void read();
  });
  let timer: number | undefined;
  root.querySelector<HTMLInputElement>('input[name="tail"]')!.addEventListener('change', (e) => {
    window.clearInterval(timer);
    if ((e.target as HTMLInputElement).checked) timer = window.setInterval(() => void read(), 2000);
  });
  await read();
  return { stop: () => window.clearInterval(timer) };
};
