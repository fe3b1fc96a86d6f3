/**
 * The `generate` command's flags, checked and turned into a run description. Pure: "now" is an
 * argument, and every bad value becomes an OrderflowError (ORDERFLOW_USAGE) naming the flag.
 */
import { OrderflowError } from '../common/errors.ts';
import { monthsBefore } from './model/generator.ts';

export interface RawGenerateOptions {
  mode?: string;
  from?: string;
  until?: string;
  seed?: string;
  count?: string;
  rate?: string;
  speed?: string;
  dryRun?: boolean;
  out?: string;
  topicPrefix?: string;
}

export interface GenerateRun {
  mode: 'backfill' | 'live';
  from: number;
  /** Infinity: no end time. */
  until: number;
  seed: number;
  count: number | undefined;
  /** Orders per second cap; undefined: none. */
  rate: number | undefined;
  /** Live mode: simulated seconds per real second. */
  speed: number;
  dryRun: boolean;
  out: string;
  topicPrefix: string | undefined;
}

function usage(message: string): OrderflowError {
  return new OrderflowError('ORDERFLOW_USAGE', message);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** "now", a date (UTC midnight) or an ISO 8601 time with a zone, as UTC ms. */
export function parseTime(flag: string, value: string, now: number): number {
  if (value === 'now') return now;
  if (!DATE_ONLY.test(value) && !ZONED.test(value)) {
    throw usage(
      `${flag} ${JSON.stringify(value)} is not a time: use YYYY-MM-DD, an ISO 8601 time with a zone (2025-03-14T09:30:00Z, 2025-03-14T17:30+08:00) or "now"`,
    );
  }
  // Date.parse rolls impossible dates over (2025-02-30 -> March 2): check the calendar date first.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(y, m - 1, d));
  const t = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) {
    throw usage(`${flag} ${JSON.stringify(value)} is not a valid date`);
  }
  return t;
}

function parseNumber(
  flag: string,
  value: string,
  opts: { integer?: boolean; min: number; exclusiveMin?: boolean },
): number {
  const n = Number(value);
  const kind = opts.integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isSafeInteger(n))) {
    throw usage(`${flag} ${JSON.stringify(value)} is not ${kind}`);
  }
  if (opts.exclusiveMin ? n <= opts.min : n < opts.min) {
    throw usage(
      `${flag} must be ${opts.exclusiveMin ? 'greater than' : 'at least'} ${opts.min}, got ${value}`,
    );
  }
  return n;
}

export function parseGenerateOptions(raw: RawGenerateOptions, now: number): GenerateRun {
  const mode = raw.mode ?? 'backfill';
  if (mode !== 'backfill' && mode !== 'live')
    throw usage(`--mode must be backfill or live, got ${JSON.stringify(mode)}`);
  const count =
    raw.count === undefined ? undefined : parseNumber('--count', raw.count, { integer: true, min: 0 });
  const from =
    raw.from === undefined
      ? mode === 'live'
        ? now
        : monthsBefore(now, 24)
      : parseTime('--from', raw.from, now);
  // Without --until, a backfill ends now, unless --count says how many orders to make.
  const until =
    raw.until !== undefined
      ? parseTime('--until', raw.until, now)
      : mode === 'live' || count !== undefined
        ? Infinity
        : now;
  if (!(from < until)) {
    throw usage(
      `--from ${new Date(from).toISOString()} must be before --until ${new Date(until).toISOString()}`,
    );
  }
  const seed = raw.seed === undefined ? 1 : parseNumber('--seed', raw.seed, { integer: true, min: 0 });
  const rate =
    raw.rate === undefined ? undefined : parseNumber('--rate', raw.rate, { min: 0, exclusiveMin: true });
  const speed =
    raw.speed === undefined ? 60 : parseNumber('--speed', raw.speed, { min: 0, exclusiveMin: true });
  if (raw.speed !== undefined && mode !== 'live') throw usage('--speed only applies to --mode live');
  if (raw.out !== undefined && !raw.dryRun)
    throw usage('--out only applies with --dry-run (without it orders go to Kafka)');
  if (raw.dryRun && raw.topicPrefix !== undefined)
    throw usage('--topic-prefix does not apply with --dry-run');
  return {
    mode,
    from,
    until,
    seed,
    count,
    rate,
    speed,
    dryRun: raw.dryRun === true,
    out: raw.out ?? '-',
    topicPrefix: raw.topicPrefix,
  };
}
