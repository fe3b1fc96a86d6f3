/// <reference lib="dom" />
/** Display formats: pesos (PHP), counts, percents, Asia/Manila days and times. */

const peso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', maximumFractionDigits: 2 });
const pesoShort = new Intl.NumberFormat('en-PH', {
  style: 'currency',
  currency: 'PHP',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const count = new Intl.NumberFormat('en-PH');

export function formatPeso(value: number | null | undefined, short = false): string {
  if (value === null || value === undefined) return '–';
  return short && Math.abs(value) >= 100_000 ? pesoShort.format(value) : peso.format(value);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : count.format(value);
}

/** A 0..1 ratio as a percent. */
export function formatRatio(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)}%`;
}

/** A value already in percent. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(digits)}%`;
}

/** A plain number with `digits` decimals (orders per day, events per order). */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

export function formatHours(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 48 ? `${(value / 24).toFixed(1)} d` : `${value.toFixed(1)} h`;
}

/** A duration in ms: "850 ms", "4.2 s", "3.5 min", "2.0 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** An ISO day ("2026-03-14", already a Manila day) as "Mar 14, 2026". */
export function formatDay(day: string, withYear = true): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-PH', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  });
}

export function formatMonth(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-PH', {
    timeZone: 'UTC',
    month: 'short',
    year: 'numeric',
  });
}

export function formatQuarter(day: string): string {
  return `Q${Math.floor(Number(day.slice(5, 7)) / 3) + 1} ${day.slice(0, 4)}`;
}

/** UTC milliseconds shown as Asia/Manila local time. */
export function formatManilaTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return new Date(ms).toLocaleString('en-PH', {
    timeZone: 'Asia/Manila',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
