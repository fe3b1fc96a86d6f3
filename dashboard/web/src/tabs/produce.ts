/// <reference lib="dom" />
import {
  apiGet,
  apiPost,
  bindToken,
  errorHtml,
  esc,
  topicOptions,
  writeNote,
  type Mount,
} from '../kafka-api.ts';

/** Produce a test order (validated against order.avsc, written through the registry) or a poison record. */
export const mountProduce: Mount = async (root, meta) => {
  const { value } = await apiGet<{ value: unknown }>('produce/sample');
  root.innerHTML = `${writeNote(meta)}<form class="kafka-form" id="produce-form"><label>Topic<select name="topic">${topicOptions(meta, meta.topics[0]?.topic ?? '', ['lifecycle'])}</select></label>
    <button type="submit" name="kind" value="order"${meta.writesAllowed ? '' : ' disabled'}>Produce this order</button>
    <button type="submit" name="kind" value="poison"${meta.writesAllowed ? '' : ' disabled'}>Produce a poison record</button>
    <button type="button" id="produce-new">New sample</button></form>
    <p class="subtitle">Avro JSON: decimals as strings ("1234.50"), timestamps as UTC epoch milliseconds, unions as plain values.</p>
    <div id="produce-message"></div><textarea class="order-json" id="produce-json" spellcheck="false">${esc(JSON.stringify(value, null, 2))}</textarea>`;
  bindToken(root);
  const form = root.querySelector<HTMLFormElement>('#produce-form')!;
  const text = root.querySelector<HTMLTextAreaElement>('#produce-json')!;
  const message = root.querySelector<HTMLElement>('#produce-message')!;
  root.querySelector('#produce-new')!.addEventListener('click', () => {
    void apiGet<{ value: unknown }>('produce/sample').then(
      (d) => (text.value = JSON.stringify(d.value, null, 2)),
    );
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const kind = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'order';
    let body: unknown;
    try {
      body =
        kind === 'poison'
          ? { topic: new FormData(form).get('topic'), poison: true }
          : { topic: new FormData(form).get('topic'), value: JSON.parse(text.value) as unknown };
    } catch (error) {
      message.innerHTML = errorHtml(new Error(`not JSON: ${(error as Error).message}`));
      return;
    }
    apiPost<{
      topic: string;
      key: string;
      partition: number | null;
      offset: string | null;
      schemaId: number | null;
    }>('produce', body)
      .then(
        (r) =>
          (message.innerHTML = `<p class="subtitle" data-produced="${esc(r.key)}">written to ${esc(r.topic)}[${esc(r.partition)}]@${esc(r.offset)} · key ${esc(r.key)} · schema id ${esc(r.schemaId ?? 'none (poison)')} · <a href="?tab=follow&order=${encodeURIComponent(r.key)}">follow it</a></p>`),
      )
      .catch((error: unknown) => (message.innerHTML = errorHtml(error)));
  });
  return {};
};
