/**
 * The `generate` command's own flags (those that are not environment settings), checked and turned
 * into a run description. Pure: "now" is an argument, and every bad value becomes an OrderflowError
 * (ORDERFLOW_USAGE) naming the flag, the value and what is allowed. The settings it shares with
 * other commands (--seed, --topic-prefix, --batch-size) go through loadSettings (producer/settings.ts).
 */
import { z } from 'zod';
import { integerIn, numberAbove } from '../common/config.ts';
import { OrderflowError } from '../common/errors.ts';
import { parseFlag } from '../common/setting-flags.ts';

export interface RawGenerateOptions {
  mode?: string;
  from?: string;
  until?: string;
  count?: string;
  rate?: string;
  speed?: string;
  dryRun?: boolean;
  out?: string;
  /** Only whether it was given: --topic-prefix does not fit --dry-run. */
  topicPrefix?: string;
}

/** The flags' schemas: their messages are what the error says is allowed. */
export const GENERATE_FLAGS = {
  mode: z.enum(['backfill', 'live'], { error: 'backfill or live' }),
  count: integerIn(0),
  rate: numberAbove(0),
  speed: numberAbove(0),
};

export interface GenerateRun {
  mode: 'backfill' | 'live';
  /**
   * First order time (UTC ms). Undefined: a backfill without --from, which goes on with this
   * pipeline's previous backfill of the same seed, or starts 24 months before today (progress.ts).
   */
  from: number | undefined;
  /** Infinity: no end time. */
  until: number;
  count: number | undefined;
  /** Orders per second cap; undefined: none. */
  rate: number | undefined;
  /** Live mode: simulated seconds per real second. */
  speed: number;
  dryRun: boolean;
  out: string;
}

function usage(message: string): OrderflowError {
  return new OrderflowError('ORDERFLOW_USAGE', message);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const TIME_ALLOWED =
  'YYYY-MM-DD, an ISO 8601 time with a zone (2025-03-14T09:30:00Z, 2025-03-14T17:30+08:00) or "now"';

/** "now", a date (UTC midnight) or an ISO 8601 time with a zone, as UTC ms. */
export function timeSchema(now: number) {
  return z.string().transform((value, ctx) => {
    if (value === 'now') return now;
    if (!DATE_ONLY.test(value) && !ZONED.test(value)) {
      ctx.addIssue({ code: 'custom', message: TIME_ALLOWED });
      return z.NEVER;
    }
    // Date.parse rolls impossible dates over (2025-02-30 -> March 2): check the calendar date first.
    const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    const calendar = new Date(Date.UTC(y, m - 1, d));
    const t = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(t) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) {
      ctx.addIssue({ code: 'custom', message: `a date that exists (${TIME_ALLOWED})` });
      return z.NEVER;
    }
    return t;
  });
}

export function parseTime(flag: string, value: string, now: number): number {
  return parseFlag(flag, timeSchema(now), value);
}

/** The window is not empty (a default --from is checked once it is known). */
export function checkWindow(from: number, until: number): void {
  if (!(from < until)) {
    throw usage(
      `--from ${new Date(from).toISOString()} must be before --until ${new Date(until).toISOString()}`,
    );
  }
}

export function parseGenerateOptions(raw: RawGenerateOptions, now: number): GenerateRun {
  const mode = parseFlag('--mode', GENERATE_FLAGS.mode, raw.mode ?? 'backfill');
  const count = raw.count === undefined ? undefined : parseFlag('--count', GENERATE_FLAGS.count, raw.count);
  const from =
    raw.from === undefined ? (mode === 'live' ? now : undefined) : parseTime('--from', raw.from, now);
  // Without --until, a backfill ends now, unless --count says how many orders to make.
  const until =
    raw.until !== undefined
      ? parseTime('--until', raw.until, now)
      : mode === 'live' || count !== undefined
        ? Infinity
        : now;
  if (from !== undefined) checkWindow(from, until);
  const rate = raw.rate === undefined ? undefined : parseFlag('--rate', GENERATE_FLAGS.rate, raw.rate);
  const speed = raw.speed === undefined ? 60 : parseFlag('--speed', GENERATE_FLAGS.speed, raw.speed);
  if (raw.speed !== undefined && mode !== 'live') throw usage('--speed only applies to --mode live');
  if (raw.out !== undefined && !raw.dryRun)
    throw usage('--out only applies with --dry-run (without it orders go to Kafka)');
  if (raw.dryRun && raw.topicPrefix !== undefined)
    throw usage('--topic-prefix does not apply with --dry-run');
  return {
    mode,
    from,
    until,
    count,
    rate,
    speed,
    dryRun: raw.dryRun === true,
    out: raw.out ?? '-',
  };
}
