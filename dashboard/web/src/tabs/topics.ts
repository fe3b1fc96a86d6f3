/// <reference lib="dom" />
import type { TopicRow } from '../../../kafka/topics.ts';
import { formatCount } from '../format.ts';
import { apiGet, esc, formatBytes, type Mount } from '../kafka-api.ts';

/** Topics: every topic of the pipeline with partitions, replication, policy, offsets, size, rate. */
export const mountTopics: Mount = async (root) => {
  const draw = async () => {
    const d = await apiGet<{ topics: TopicRow[]; countNote: string; configNote: string }>('topics');
    const rows = d.topics
      .map(
        (
          t,
        ) => `<tr data-topic="${esc(t.topic)}"><td>${t.exists ? `<a href="?tab=messages&topic=${encodeURIComponent(t.topic)}">${esc(t.topic)}</a>` : `${esc(t.topic)} <span class="muted">(not created)</span>`}</td>
        <td>${esc(t.kind)}</td><td class="num">${t.partitions}</td><td class="num">${t.replicationFactor}</td><td>${esc(t.cleanupPolicy)}</td><td>${esc(t.retention)}</td>
        <td class="num">${formatCount(t.messagesUpperBound)}</td><td class="num">${formatBytes(t.sizeBytes)}</td><td class="num">${t.ratePerSecond === null ? '…' : `${t.ratePerSecond}/s`}</td></tr>`,
      )
      .join('');
    root.innerHTML = `<section class="card wide"><h3>Topics of the pipeline</h3><div class="table-wrap"><table id="kafka-topics">
      <thead><tr><th>Topic</th><th>Kind</th><th class="num">Partitions</th><th class="num">Replicas</th><th>Cleanup</th><th>Retention</th><th class="num">Messages (≤, markers incl.)</th><th class="num">Size on disk</th><th class="num">Rate (offsets)</th></tr></thead>
      <tbody>${rows}</tbody></table></div><p class="subtitle">${esc(d.countNote)}</p><p class="subtitle">${esc(d.configNote)}</p></section>`;
  };
  await draw();
  const timer = window.setInterval(() => void draw().catch(() => undefined), 5000);
  return { stop: () => window.clearInterval(timer) };
};
