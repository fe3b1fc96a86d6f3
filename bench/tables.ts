/**
 * Text and Markdown tables and the number formats the benchmark reports share. Pure.
 */

export function fmtRate(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return '-';
  return Math.round(x).toLocaleString('en-US');
}

export function fmtRatio(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(0)}%`;
}

/** A plain-text table with aligned columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  const esc = (s: string) => s.replaceAll('|', '\\|');
  return [header, sep, ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

export function ms(x: number | undefined): string {
  return x === undefined ? '-' : `${Math.round(x)} ms`;
}
