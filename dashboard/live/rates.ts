/**
 * Per-second rates from successive counter readings (topic end offsets, committed group offsets).
 * The first reading has no rate; a counter that went backwards (topic recreated) restarts.
 */
export class RateTracker {
  private readonly last = new Map<string, { at: number; value: number }>();

  /** Record `value` for `key` at time `at` (ms) and return the rate per second since the last reading. */
  update(key: string, value: number, at: number): number | null {
    const prev = this.last.get(key);
    this.last.set(key, { at, value });
    if (!prev || at <= prev.at || value < prev.value) return null;
    return Math.round(((value - prev.value) / ((at - prev.at) / 1000)) * 100) / 100;
  }
}

/** Records behind: the end offset minus the committed offset; a group with no commit is behind by all retained records. */
export function partitionLag(high: number, low: number, committed: number): number {
  if (committed < 0) return Math.max(0, high - low);
  return Math.max(0, high - committed);
}

/**
 * A gap this small between a group's position and the end offset may be transaction markers rather
 * than records (every committed transaction leaves one marker per partition it wrote), so the live
 * view counts the records in it instead of trusting the offsets.
 */
export const MARKER_PROBE_MAX = 10;

/** One input partition of a consumer group: the offsets from its position to the end. */
export interface PartitionGap {
  topic: string;
  partition: number;
  /** The committed offset, or the start of the log when the group never committed. */
  from: number;
  /** The end offset (high watermark). */
  to: number;
}

export function gapKey(g: { topic: string; partition: number }): string {
  return `${g.topic}\u0000${g.partition}`;
}

/** The gaps worth counting record by record: non-empty and at most MARKER_PROBE_MAX offsets. */
export function gapsToCount(gaps: PartitionGap[]): PartitionGap[] {
  return gaps.filter((g) => g.to - g.from > 0 && g.to - g.from <= MARKER_PROBE_MAX);
}

/** A group's lag: each gap's offsets, or the records counted in it where they were counted. */
export function lagOf(gaps: PartitionGap[], counted: ReadonlyMap<string, number>): number {
  let lag = 0;
  for (const g of gaps) lag += counted.get(gapKey(g)) ?? Math.max(0, g.to - g.from);
  return lag;
}
