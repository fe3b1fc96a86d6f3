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
