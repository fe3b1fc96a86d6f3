/// <reference lib="dom" />
/**
 * What every analysis tab shares: the envelope the API wraps a tab's data in, what a tab renders,
 * the line naming the period shown, the page layout, the days of a chart, and the peso formatting of
 * tiles and chart axes.
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
 * An analysis tab: the range note, an optional introduction, a row of tiles, then the grid of
 * charts and tables, and what draws the charts into it.
 */
export function tabPage(
  d: Envelope,
  page: { intro?: string; tiles: string[]; cards: string[]; draw: () => void },
): Rendered {
  const html = `${rangeNote(d)}${page.intro ?? ''}
    <div class="tiles">${page.tiles.join('')}</div>
    <div class="grid">${page.cards.join('')}</div>`;
  return { html, draw: page.draw };
}

/** Longer ranges are drawn by week (7 days from the range's first). */
const WEEKLY_AFTER_DAYS = 92;

/**
 * The days of a range as a chart's points: a day each, or a week each when the range is long;
 * `per` maps each point's days to its value.
 */
export function dayBuckets<T extends { day: string }>(days: readonly T[]) {
  const weekly = days.length > WEEKLY_AFTER_DAYS;
  const buckets: T[][] = [];
  for (const [i, d] of days.entries()) {
    if (weekly && i % 7 !== 0) buckets.at(-1)!.push(d);
    else buckets.push([d]);
  }
  return {
    weekly,
    labels: dayLabels(buckets.map((b) => b[0]!)),
    per: <R>(value: (days: T[]) => R): R[] => buckets.map(value),
  };
}
