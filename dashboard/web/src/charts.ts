/// <reference lib="dom" />
import {
  Chart,
  registerables,
  type ChartConfiguration,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';

Chart.register(...registerables);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.font.size = 11;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export const COLORS = [
  '#0b6bcb',
  '#f39c12',
  '#16a085',
  '#c0392b',
  '#8e44ad',
  '#7f8c8d',
  '#2ecc71',
  '#d35400',
];

/** Every chart on the page, by id, so a refresh updates in place (the live tab) or tears down. */
const charts = new Map<string, Chart>();

export function destroyCharts(): void {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}

/**
 * Draw (or redraw) a chart into the canvas with `id`. The canvas records how many data points it
 * shows in data-points, which the browser tests read.
 */
export function drawChart(id: string, config: ChartConfiguration): void {
  const canvas = document.getElementById(id) as HTMLCanvasElement | null;
  if (!canvas) return;
  const points = config.data.datasets.reduce((a, d) => a + d.data.filter((v) => v !== null).length, 0);
  canvas.dataset.points = String(points);
  const existing = charts.get(id);
  if (existing && existing.canvas === canvas) {
    existing.data = config.data;
    if (config.options) existing.options = config.options;
    existing.update('none');
    return;
  }
  existing?.destroy();
  charts.set(id, new Chart(canvas, config));
}

/**
 * Draw a chart of `datasets` over the category `labels`: the common case of drawChart, the config
 * spelled once (a chart on a linear or bubble axis has no labels and calls drawChart itself).
 */
export function drawSeries(
  id: string,
  type: 'bar' | 'line' | 'doughnut',
  labels: unknown[],
  datasets: ChartDataset[],
  options?: ChartOptions,
): void {
  drawChart(id, { type, data: { labels, datasets }, ...(options ? { options } : {}) } as ChartConfiguration);
}

/** Options of horizontal bars of one series: the bars are labelled, so no legend (a fresh object: Chart.js fills it in). */
export const oneSeriesBars = (): ChartOptions => ({
  indexAxis: 'y',
  plugins: { legend: { display: false } },
});

/**
 * A ranking: one series of horizontal bars, a bar per label (products by units, stages by lag,
 * reasons by count), the bars labelled so no legend.
 */
export function drawRanking(
  id: string,
  labels: unknown[],
  label: string,
  values: (number | null)[],
  color: string = COLORS[0]!,
): void {
  const options = oneSeriesBars();
  // Counts: whole-number ticks.
  options.scales = { x: { ticks: { precision: 0 } } };
  drawSeries(id, 'bar', labels, [dataset(label, values, color)], options);
}

/** Shares of a whole: a doughnut of `values` over `labels`, a colour each, the legend beside it. */
export function drawShares(id: string, labels: unknown[], values: number[], colors: string[]): void {
  drawSeries(id, 'doughnut', labels, [{ data: values, backgroundColor: colors }], {
    plugins: { legend: { position: 'right' } },
  });
}

/**
 * Stacked bars: the `datasets` on one stack per label, both axes stacked; `value` and `category`
 * add options to those axes (a peso axis, unskipped labels), `horizontal` lays the bars along x.
 */
export function drawStacked(
  id: string,
  labels: unknown[],
  datasets: ChartDataset[],
  axes: { horizontal?: boolean; value?: object; category?: object } = {},
): void {
  const [category, value] = axes.horizontal ? ['y', 'x'] : ['x', 'y'];
  drawSeries(
    id,
    'bar',
    labels,
    datasets.map((d) => ({ ...d, stack: 'stack' }) as ChartDataset),
    {
      ...(axes.horizontal ? { indexAxis: 'y' as const } : {}),
      scales: { [category]: { ...axes.category, stacked: true }, [value]: { ...axes.value, stacked: true } },
    },
  );
}

export function dataset(
  label: string,
  data: (number | null)[],
  color: string,
  extra: Partial<ChartDataset> = {},
) {
  return {
    label,
    data,
    backgroundColor: color,
    borderColor: color,
    borderWidth: 1.5,
    pointRadius: 0,
    ...extra,
  } as ChartDataset;
}

/** Axis tick formatter for pesos: ₱1.2M, ₱350K. */
export function pesoTick(value: number | string): string {
  const v = Number(value);
  const abs = Math.abs(v);
  if (abs >= 1_000_000) return `₱${(v / 1_000_000).toFixed(1)}M`;
  if (abs >= 1_000) return `₱${(v / 1_000).toFixed(0)}K`;
  return `₱${v}`;
}
