/**
 * The arithmetic of the benchmarks: summaries of repeated runs, percentiles of latency samples and
 * ratios against baselines. Pure: no I/O, no clock.
 */

export interface Summary {
  /** Number of samples summarised. */
  n: number;
  median: number;
  min: number;
  max: number;
}

function sorted(values: readonly number[]): number[] {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

/** Median of the samples (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no samples');
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of no samples');
  const s = sorted(values);
  return { n: s.length, median: median(s), min: s[0]!, max: s[s.length - 1]! };
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks (the "R-7" definition
 * of spreadsheets and numpy's default): p0 = min, p100 = max, p50 = median.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

/**
 * Throughput of a run observed from its first commit: `firstCount` records were already committed
 * when the first commit was seen at `firstAt` (ms); all `total` were committed at `lastAt`. The
 * records of that first commit are left out because their start is not observed, so the rate is
 * (total - firstCount) / (lastAt - firstAt). With a single commit there is no interval: NaN.
 */
export function rateFromCommits(total: number, firstCount: number, firstAt: number, lastAt: number): number {
  if (total <= firstCount || lastAt <= firstAt) return Number.NaN;
  return (total - firstCount) / ((lastAt - firstAt) / 1000);
}

export interface Ratio {
  /** What is compared, e.g. "payment stage / transactional pass-through". */
  name: string;
  numerator: string;
  denominator: string;
  /** median(numerator) / median(denominator); null when either side was not measured. */
  value: number | null;
  /** The goal the ratio should reach (e.g. 0.7), if there is one. */
  target?: number;
  /** value >= target; null without a target or a value. */
  met: boolean | null;
}

/** A ratio of two medians, with its target verdict. */
export function ratio(
  name: string,
  numerator: { id: string; median: number | null | undefined },
  denominator: { id: string; median: number | null | undefined },
  target?: number,
): Ratio {
  const n = numerator.median;
  const d = denominator.median;
  const value = n == null || d == null || !Number.isFinite(n) || !Number.isFinite(d) || d <= 0 ? null : n / d;
  return {
    name,
    numerator: numerator.id,
    denominator: denominator.id,
    value,
    ...(target === undefined ? {} : { target }),
    met: target === undefined || value === null ? null : value >= target,
  };
}

/** CPU use in percent of one core from clock ticks spent over a wall-clock interval. */
export function cpuPercent(ticks: number, ticksPerSecond: number, seconds: number): number {
  if (seconds <= 0) return Number.NaN;
  return (ticks / ticksPerSecond / seconds) * 100;
}
