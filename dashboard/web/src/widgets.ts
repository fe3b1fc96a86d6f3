/// <reference lib="dom" />
import type { Tile } from '../../queries/tile.ts';
import { escapeHtml } from './format.ts';

/** A big-number tile; `inverse` when a fall is the good direction (failures, hours to ship). */
export function tileHtml(
  label: string,
  tile: Tile | { value: number | null; changePercent?: number | null } | null,
  format: (v: number | null) => string,
  options: { inverse?: boolean; note?: string } = {},
): string {
  const value = tile?.value ?? null;
  const change = tile && 'changePercent' in tile ? (tile.changePercent ?? null) : null;
  let changeHtml = options.note ? escapeHtml(options.note) : '';
  if (change !== null) {
    const up = change > 0;
    const good = change === 0 ? '' : up !== Boolean(options.inverse) ? 'up' : 'down';
    changeHtml = `<span class="${good}">${up ? '▲' : change < 0 ? '▼' : '■'} ${Math.abs(change).toFixed(1)}%</span> vs previous period`;
  } else if (tile && 'previous' in tile && !options.note) {
    changeHtml = tile.previous === null ? 'no previous period' : 'no base to compare';
  }
  return `<div class="tile" data-tile="${escapeHtml(label)}"><div class="label">${escapeHtml(label)}</div>
    <div class="value">${escapeHtml(format(value))}</div><div class="change">${changeHtml}</div></div>`;
}

export function chartCard(
  id: string,
  title: string,
  options: { wide?: boolean; height?: number } = {},
): string {
  const style = options.height ? ` style="height:${options.height}px"` : '';
  return `<section class="card${options.wide ? ' wide' : ''}"><h3>${escapeHtml(title)}</h3>
    <div class="chart"${style}><canvas id="${id}" role="img" aria-label="${escapeHtml(title)}"></canvas></div></section>`;
}

export interface Column<T> {
  title: string;
  value: (row: T) => string;
  numeric?: boolean;
}

export function tableCard<T>(
  title: string,
  rows: T[],
  columns: Column<T>[],
  options: { wide?: boolean; id?: string; empty?: string } = {},
): string {
  const head = columns
    .map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`)
    .join('');
  const body =
    rows.length === 0
      ? `<tr><td colspan="${columns.length}">${escapeHtml(options.empty ?? 'nothing in this period')}</td></tr>`
      : rows
          .map(
            (r) =>
              `<tr>${columns.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.value(r))}</td>`).join('')}</tr>`,
          )
          .join('');
  return `<section class="card${options.wide ? ' wide' : ''}"${options.id ? ` id="${options.id}"` : ''}><h3>${escapeHtml(title)}</h3>
    <div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

export function emptyHtml(message: string): string {
  // The message names a command in backticks: show it as code.
  const html = escapeHtml(message).replace(/`([^`]+)`/g, '<code>$1</code>');
  return `<div class="empty" data-empty="true">${html}</div>`;
}
