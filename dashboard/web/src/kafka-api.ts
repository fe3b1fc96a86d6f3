/// <reference lib="dom" />
/**
 * What the Kafka views share: the JSON calls (a write sends the token kept in this tab's session),
 * the record card (key, partition, offset, time, headers, schema id, decoded value or hex), forms.
 */
import type { RecordJson } from '../../kafka/record-json.ts';
import { escapeHtml } from './format.ts';

export interface KafkaMeta {
  prefix: string;
  topics: { topic: string; kind: string; subject?: string }[];
  writesAllowed: boolean;
  tokenRequired: boolean;
}

/** A mounted view: `stop` clears its timers when another tab opens. */
export interface KafkaView {
  stop?: () => void;
}

export type Mount = (root: HTMLElement, meta: KafkaMeta, params: URLSearchParams) => Promise<KafkaView>;

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

export async function apiGet<T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return parse<T>(
    await fetch(`/api/kafka/${path}${qs ? `?${qs}` : ''}`, { headers: { accept: 'application/json' } }),
  );
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const token = sessionStorage.getItem('orderflow-token');
  if (token) headers['x-orderflow-token'] = token;
  return parse<T>(await fetch(`/api/kafka/${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
}

export const esc = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));

export function errorHtml(error: unknown): string {
  return `<div class="empty error" data-error="true">${esc((error as Error).message ?? error)}</div>`;
}

export function writeNote(meta: KafkaMeta): string {
  if (!meta.writesAllowed)
    return `<p class="subtitle" data-writes="off">Actions are off: start the dashboard with <code>--allow-writes</code>.</p>`;
  if (meta.tokenRequired)
    return `<p class="subtitle">Actions need the dashboard token: <input id="token" type="password" placeholder="token" value="${esc(sessionStorage.getItem('orderflow-token') ?? '')}"></p>`;
  return '';
}

export function bindToken(root: HTMLElement): void {
  const input = root.querySelector<HTMLInputElement>('#token');
  input?.addEventListener('change', () => sessionStorage.setItem('orderflow-token', input.value));
}

export function topicOptions(meta: KafkaMeta, selected: string, kinds?: string[]): string {
  return meta.topics
    .filter((t) => !kinds || kinds.includes(t.kind))
    .map(
      (t) =>
        `<option value="${esc(t.topic)}"${t.topic === selected ? ' selected' : ''}>${esc(t.topic)}</option>`,
    )
    .join('');
}

/** One record: its coordinates and headers in a line, the decoded value (or hex and why) below. */
export function recordHtml(r: RecordJson, extra = ''): string {
  const headers = Object.entries(r.headers)
    .map(
      ([k, v]) =>
        `<span class="hdr"><b>${esc(k)}</b>=${esc(v.length > 160 ? `${v.slice(0, 160)}…` : v)}</span>`,
    )
    .join(' ');
  const body = r.decodeError
    ? `<div class="empty error">undecodable: ${esc(r.decodeError)}</div><pre class="hex">${esc(hexDump(r.valueHex ?? ''))}</pre>`
    : `<pre class="json">${esc(JSON.stringify(r.value, null, 2))}</pre>`;
  return `<details class="record" data-record="${esc(`${r.topic}/${r.partition}/${r.offset}`)}">
    <summary><code>${esc(r.topic)}[${r.partition}]@${r.offset}</code> · key <code>${esc(r.key)}</code> · ${esc(r.timestampIso)} <span class="muted">(Manila ${esc(r.timestampManila)})</span> · schema id ${esc(r.schemaId ?? '–')} ${extra}</summary>
    <div class="headers">${headers || '<span class="muted">no headers</span>'}</div>${body}</details>`;
}

export function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 64)
    lines.push(
      hex
        .slice(i, i + 64)
        .replace(/(..)/g, '$1 ')
        .trim(),
    );
  return lines.slice(0, 64).join('\n') + (hex.length > 64 * 64 ? '\n…' : '');
}

export function formatBytes(n: number | null): string {
  if (n === null) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
