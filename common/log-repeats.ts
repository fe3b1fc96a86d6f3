/**
 * One line per outage, not one per retry: the Kafka client logs the same complaint every few seconds
 * while a broker is away ("Connect to ... failed: Connection refused", "all broker connections are
 * down"). A line is logged the first time; the same kind of line (numbers aside) within the next
 * minute is counted instead, and the next one after that minute is logged with the count.
 */
export function repeatKey(message: string): string {
  return message.replace(/^\[thrd:[^\]]*\]: /, '').replace(/\d+/g, '#');
}

export class RepeatFilter {
  private readonly seen = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** undefined: drop this line. A number: log it, noting that many like it were dropped before it. */
  admit(message: string): number | undefined {
    const key = repeatKey(message);
    const t = this.now();
    const entry = this.seen.get(key);
    if (entry && t - entry.loggedAt < this.windowMs) {
      entry.suppressed++;
      return undefined;
    }
    if (this.seen.size > 1000) {
      for (const [k, e] of this.seen) if (t - e.loggedAt >= this.windowMs) this.seen.delete(k);
    }
    this.seen.set(key, { loggedAt: t, suppressed: 0 });
    return entry?.suppressed ?? 0;
  }
}
