import { describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import { parseGenerateOptions, parseTime } from '../../../producer/options.ts';

const NOW = Date.UTC(2026, 10, 21, 12);

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OrderflowError);
    expect((error as OrderflowError).code).toBe('ORDERFLOW_USAGE');
    return (error as Error).message;
  }
  throw new Error('expected an ORDERFLOW_USAGE error');
}

describe('generate options', () => {
  it('backfill defaults: from decided later (progress.ts), until now, no cap, stdout', () => {
    expect(parseGenerateOptions({}, NOW)).toEqual({
      mode: 'backfill',
      from: undefined,
      until: NOW,
      count: undefined,
      rate: undefined,
      speed: 60,
      dryRun: false,
      out: '-',
    });
  });

  it('live defaults: from now, no end', () => {
    const run = parseGenerateOptions({ mode: 'live', speed: '3600' }, NOW);
    expect([run.from, run.until, run.speed]).toEqual([NOW, Infinity, 3600]);
  });

  it('--count without --until lets the count decide where the run ends', () => {
    expect(parseGenerateOptions({ count: '100000' }, NOW).until).toBe(Infinity);
    expect(parseGenerateOptions({ count: '10', until: '2026-01-01' }, NOW).until).toBe(Date.UTC(2026, 0, 1));
  });

  it('parses times: dates are UTC midnight, zoned ISO times, "now"', () => {
    expect(parseTime('--from', '2025-03-14', NOW)).toBe(Date.UTC(2025, 2, 14));
    expect(parseTime('--from', '2025-03-14T17:30+08:00', NOW)).toBe(Date.UTC(2025, 2, 14, 9, 30));
    expect(parseTime('--from', '2025-03-14T09:30:00.5Z', NOW)).toBe(Date.UTC(2025, 2, 14, 9, 30, 0, 500));
    expect(parseTime('--until', 'now', NOW)).toBe(NOW);
  });

  it.each([
    [{ mode: 'sideways' }, /--mode "sideways" is not valid: use backfill or live/],
    [
      { from: '2025-05-01', until: '2025-01-01' },
      /--from 2025-05-01T00:00:00.000Z must be before --until 2025-01-01/,
    ],
    [{ from: '2025-01-01', until: '2025-01-01' }, /must be before/],
    [{ count: '-1' }, /--count "-1" is not valid: use an integer of at least 0/],
    [{ count: 'many' }, /--count "many" is not valid: use an integer of at least 0/],
    [{ count: '1.5' }, /--count "1.5" is not valid: use an integer of at least 0/],
    [{ count: ' ' }, /--count " " is not valid/],
    [{ rate: '0' }, /--rate "0" is not valid: use a number greater than 0/],
    [{ mode: 'live', speed: '-60' }, /--speed "-60" is not valid: use a number greater than 0/],
    [{ mode: 'live', speed: 'Infinity' }, /--speed "Infinity" is not valid/],
    [{ speed: '60' }, /--speed only applies to --mode live/],
    [
      { from: '2025-01-01T00:00' },
      /--from "2025-01-01T00:00" is not valid: use YYYY-MM-DD, an ISO 8601 time/,
    ],
    [{ until: '2025-02-30' }, /--until "2025-02-30" is not valid: use a date that exists/],
    [{ from: '2025-13-01T00:00Z' }, /--from "2025-13-01T00:00Z" is not valid: use a date that exists/],
    [{ out: 'x.jsonl' }, /--out only applies with --dry-run/],
    [{ dryRun: true, topicPrefix: 'x_' }, /--topic-prefix does not apply with --dry-run/],
  ])('rejects %j', (raw, message) => {
    expect(usageError(() => parseGenerateOptions(raw, NOW))).toMatch(message);
  });

  it('a bad flag value carries the flag, the value and what is allowed as properties', () => {
    try {
      parseGenerateOptions({ count: '-1' }, NOW);
      expect.unreachable();
    } catch (error) {
      expect((error as OrderflowError).context).toEqual({
        flag: '--count',
        value: '-1',
        allowed: 'an integer of at least 0',
      });
    }
  });
});
