/// <reference lib="dom" />
/**
 * The dashboard page: the analysis tabs over /api/<tab> and the live pipeline tab over /api/live,
 * with a period and a province filter kept in the URL (?tab=&range=&province=).
 */
import type { LiveSnapshot } from '../../live/pipeline.ts';
import { destroyCharts } from './charts.ts';
import { escapeHtml } from './format.ts';
import { renderLive } from './live.ts';
import * as tabs from './tabs/index.ts';
import { emptyHtml } from './widgets.ts';
import { apiGet, errorHtml, type KafkaMeta, type KafkaView, type Mount } from './kafka-api.ts';
import { mountConnectors } from './tabs/connectors.ts';
import { mountDeadLetters } from './tabs/dead-letters.ts';
import { mountFollow } from './tabs/follow-order.ts';
import { mountGroups } from './tabs/groups.ts';
import { mountMessages } from './tabs/messages.ts';
import { mountProduce } from './tabs/produce.ts';
import { mountSchemas } from './tabs/schemas.ts';
import { mountSql } from './tabs/sql.ts';
import { mountTopics } from './tabs/topics.ts';

/** The Kafka views (a Kafka UI for this pipeline), after the live tab. */
const KAFKA_TABS: { name: string; title: string; mount: Mount }[] = [
  { name: 'topics', title: 'Topics', mount: mountTopics },
  { name: 'messages', title: 'Messages', mount: mountMessages },
  { name: 'follow', title: 'Follow an order', mount: mountFollow },
  { name: 'groups', title: 'Consumer groups', mount: mountGroups },
  { name: 'schemas', title: 'Schemas', mount: mountSchemas },
  { name: 'connectors', title: 'Connectors', mount: mountConnectors },
  { name: 'dead-letters', title: 'Dead letters', mount: mountDeadLetters },
  { name: 'produce', title: 'Produce', mount: mountProduce },
  { name: 'sql', title: 'SQL', mount: mountSql },
];
const isKafkaTab = (tab: string) => KAFKA_TABS.some((t) => t.name === tab);
let kafkaView: KafkaView | null = null;
let kafkaMeta: KafkaMeta | null = null;

interface Meta {
  empty: boolean;
  message?: string;
  asOf?: string;
  ranges: { name: string; label: string }[];
  tabs: { name: string; title: string; province: boolean }[];
  provinces: { code: string; name: string }[];
}

type Renderer = (data: never) => tabs.Rendered;
const RENDERERS: Record<string, Renderer> = {
  revenue: tabs.revenue,
  orders: tabs.orders,
  customers: tabs.customers,
  items: tabs.items,
  'payment-delivery': tabs.paymentDelivery,
  location: tabs.location,
  support: tabs.support,
  stock: tabs.stock,
  funnel: tabs.funnel,
  stores: tabs.stores,
};

const view = document.getElementById('view')!;
const status = document.getElementById('status')!;
const rangeSelect = document.getElementById('range') as HTMLSelectElement;
const provinceSelect = document.getElementById('province') as HTMLSelectElement;
const provinceLabel = document.getElementById('province-label')!;
const nav = document.getElementById('tabs')!;

const params = new URLSearchParams(location.search);
const state = {
  tab: params.get('tab') ?? 'revenue',
  range: params.get('range') ?? 'last30',
  province: params.get('province') ?? '',
};
let meta: Meta | null = null;
let liveTimer: number | undefined;
let loadToken = 0;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

function saveState(): void {
  const p = new URLSearchParams();
  p.set('tab', state.tab);
  if (state.range !== 'last30') p.set('range', state.range);
  if (state.province) p.set('province', state.province);
  // A Kafka view keeps its own parameters (topic, order) in the URL.
  if (isKafkaTab(state.tab))
    for (const [k, v] of new URLSearchParams(location.search))
      if (!['tab', 'range', 'province'].includes(k)) p.set(k, v);
  history.replaceState(null, '', `?${p.toString()}`);
}

function renderNav(): void {
  const all = [
    ...(meta?.tabs ?? []),
    { name: 'live', title: 'Live pipeline', province: false },
    ...KAFKA_TABS.map((t) => ({ name: t.name, title: t.title, province: false })),
  ];
  nav.innerHTML = all
    .map(
      (t) =>
        `<button role="tab" data-tab="${t.name}" aria-selected="${t.name === state.tab}">${escapeHtml(t.title)}</button>`,
    )
    .join('');
  const current = all.find((t) => t.name === state.tab);
  provinceLabel.style.display = current?.province ? '' : 'none';
  rangeSelect.parentElement!.style.display = state.tab === 'live' || isKafkaTab(state.tab) ? 'none' : '';
}

function fillFilters(): void {
  rangeSelect.innerHTML = (meta?.ranges ?? [])
    .map(
      (r) =>
        `<option value="${r.name}"${r.name === state.range ? ' selected' : ''}>${escapeHtml(r.label)}</option>`,
    )
    .join('');
  provinceSelect.innerHTML =
    `<option value="">All provinces</option>` +
    (meta?.provinces ?? [])
      .map(
        (p) =>
          `<option value="${p.code}"${p.code === state.province ? ' selected' : ''}>${escapeHtml(p.name)} (${p.code})</option>`,
      )
      .join('');
}

function show(html: string, draw?: () => void): void {
  destroyCharts();
  view.innerHTML = html;
  draw?.();
}

async function loadTab(): Promise<void> {
  const token = ++loadToken;
  window.clearInterval(liveTimer);
  liveTimer = undefined;
  kafkaView?.stop?.();
  kafkaView = null;
  saveState();
  renderNav();
  view.dataset.tab = state.tab;
  view.dataset.ready = 'false';
  if (state.tab === 'live') {
    await refreshLive(token, true);
    liveTimer = window.setInterval(() => void refreshLive(token, false), 3000);
    return;
  }
  const kafkaTab = KAFKA_TABS.find((t) => t.name === state.tab);
  if (kafkaTab) {
    show('<div class="empty">loading…</div>');
    status.textContent = '';
    try {
      kafkaMeta ??= await apiGet<KafkaMeta>('meta');
      if (token !== loadToken) return;
      const root = document.createElement('div');
      show('');
      view.appendChild(root);
      const mounted = await kafkaTab.mount(root, kafkaMeta, new URLSearchParams(location.search));
      if (token !== loadToken) mounted.stop?.();
      else kafkaView = mounted;
      status.textContent = `Kafka views · topics${kafkaMeta.prefix ? ` with prefix “${kafkaMeta.prefix}”` : ''} · actions ${kafkaMeta.writesAllowed ? 'allowed' : 'off'}`;
    } catch (error) {
      if (token !== loadToken) return;
      show(errorHtml(error));
    }
    view.dataset.ready = 'true';
    return;
  }
  const renderer = RENDERERS[state.tab];
  if (!renderer) {
    show(emptyHtml(`unknown tab "${state.tab}"`));
    return;
  }
  status.textContent = 'loading…';
  try {
    const q = new URLSearchParams({ range: state.range });
    if (state.province) q.set('province', state.province);
    const data = await getJson<{ empty: boolean; message?: string; queryMs?: number }>(
      `/api/${state.tab}?${q.toString()}`,
    );
    if (token !== loadToken) return;
    if (data.empty) {
      show(emptyHtml(data.message ?? 'no data yet'));
    } else {
      const r = renderer(data as never);
      show(r.html, r.draw);
    }
    status.textContent = data.empty
      ? ''
      : `query ${data.queryMs} ms · data up to ${meta?.asOf ?? '?'} (Asia/Manila)`;
  } catch (error) {
    if (token !== loadToken) return;
    show(
      `<div class="empty error">Could not load this tab: ${escapeHtml(String((error as Error).message ?? error))}</div>`,
    );
    status.textContent = '';
  }
  view.dataset.ready = 'true';
}

async function refreshLive(token: number, first: boolean): Promise<void> {
  try {
    const snapshot = await getJson<LiveSnapshot>('/api/live');
    if (token !== loadToken) return;
    const r = renderLive(snapshot);
    // Tables change shape as topics and connectors appear: redraw the whole tab (charts are not animated).
    const scroll = first ? 0 : window.scrollY;
    show(r.html, r.draw);
    window.scrollTo(0, scroll);
    status.textContent = `live · ${new Date(snapshot.at).toLocaleTimeString('en-PH', { timeZone: 'Asia/Manila' })}`;
  } catch (error) {
    if (token !== loadToken) return;
    show(
      `<div class="empty error">The live view is unavailable: ${escapeHtml(String((error as Error).message ?? error))}</div>`,
    );
  }
  view.dataset.ready = 'true';
}

nav.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button[data-tab]') as HTMLButtonElement | null;
  if (!button || button.dataset.tab === state.tab) return;
  state.tab = button.dataset.tab!;
  void loadTab();
});
rangeSelect.addEventListener('change', () => {
  state.range = rangeSelect.value;
  void loadTab();
});
provinceSelect.addEventListener('change', () => {
  state.province = provinceSelect.value;
  void loadTab();
});

async function start(): Promise<void> {
  try {
    meta = await getJson<Meta>('/api/meta');
  } catch (error) {
    show(
      `<div class="empty error">The dashboard API is not answering: ${escapeHtml(String((error as Error).message ?? error))}</div>`,
    );
    return;
  }
  fillFilters();
  if (meta.empty && state.tab !== 'live' && !isKafkaTab(state.tab)) {
    renderNav();
    show(emptyHtml(meta.message ?? 'no data yet'));
    view.dataset.tab = state.tab;
    view.dataset.ready = 'true';
    return;
  }
  await loadTab();
}

void start();
