/// <reference lib="dom" />
/**
 * What every analysis tab shares: the envelope the API wraps a tab's data in, what a tab renders,
 * the line naming the period shown, the page layout, and the peso formatting of tiles and chart axes.
 */
import type { RangeWindow } from '../../../range.ts';
import { pesoTick } from '../charts.ts';
import { formatDay, formatPeso } from '../format.ts';

export interface Envelope {
  tab: string;
  empty: false;
  asOf: string;
  range: RangeWindow;
  province: string | null;
  queryMs: number;
}

/** A tab's data as the API sends it: the envelope plus what the tab's query returns. */
export type Of<F extends (...args: never[]) => Promise<unknown>> = Envelope & Awaited<ReturnType<F>>;

/** What a tab renders: its HTML, then the charts drawn into it. */
export interface Rendered {
  html: string;
  draw: () => void;
}

export const peso = (v: number | null) => formatPeso(v);
export const pesoShort = (v: number | null) => formatPeso(v, true);
export const money = { ticks: { callback: pesoTick } };
/** The `key` column of `rows` (a chart series). */
export const pick = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((r) => r[key]);
export const dayLabels = (days: { day: string }[]) => days.map((d) => formatDay(d.day, false));

export function rangeNote(d: Envelope): string {
  const prev = d.range.previous
    ? ` · compared with ${formatDay(d.range.previous.from)} – ${formatDay(d.range.previous.to)}`
    : '';
  return `<p class="subtitle">${d.range.label}: ${formatDay(d.range.from)} – ${formatDay(d.range.to)}${
    d.province ? ` · province ${d.province}` : ''
  }${prev} · Asia/Manila days · amounts in PHP</p>`;
}

/**
 * The page of an analysis tab: the range note, an optional introduction, a row of tiles, then the
 * grid of charts and tables.
 */
export function tabPage(d: Envelope, page: { intro?: string; tiles: string[]; cards: string[] }): string {
  return `${rangeNote(d)}${page.intro ?? ''}
    <div class="tiles">${page.tiles.join('')}</div>
    <div class="grid">${page.cards.join('')}</div>`;
}
