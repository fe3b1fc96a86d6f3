import { describe, expect, it } from 'vitest';
import {
  addDays,
  changePercent,
  daysOf,
  parseDay,
  parseProvince,
  parseRangeName,
  rangeWindow,
} from '../../../dashboard/range.ts';

/** The window compared with `name` as of `asOf` (data from 2024-01-01). */
const previousOf = (name: Parameters<typeof rangeWindow>[0], asOf: string) =>
  rangeWindow(name, asOf, '2024-01-01').previous;
const span = (from: string, to: string) => ({ from, to });

describe('date-range filters', () => {
  it('last 30 days ends at the as-of day and compares with the 30 days before', () => {
    const w = rangeWindow('last30', '2026-03-14', '2024-01-01');
    expect(w).toMatchObject({
      from: '2026-02-13',
      to: '2026-03-14',
      previous: { from: '2026-01-14', to: '2026-02-12' },
    });
    expect(daysOf(w)).toHaveLength(30);
    expect(daysOf(w.previous!)).toHaveLength(30);
  });

  it('month to date compares with the same days of the previous month, capped at its end', () => {
    expect(rangeWindow('month', '2026-03-14', '2024-01-01')).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-14',
      previous: { from: '2026-02-01', to: '2026-02-14' },
    });
    // March 31 against the whole of February (28 days in 2026), not into March.
    expect(previousOf('month', '2026-03-31')).toEqual(span('2026-02-01', '2026-02-28'));
    // January against December of the year before.
    expect(previousOf('month', '2026-01-05')).toEqual(span('2025-12-01', '2025-12-05'));
  });

  it('quarter and year to date', () => {
    expect(rangeWindow('quarter', '2026-05-20', '2024-01-01')).toMatchObject({
      from: '2026-04-01',
      to: '2026-05-20',
      previous: { from: '2026-01-01', to: '2026-02-19' },
    });
    expect(previousOf('quarter', '2026-01-10')).toEqual(span('2025-10-01', '2025-10-10'));
    expect(rangeWindow('year', '2026-03-01', '2024-01-01')).toMatchObject({
      from: '2026-01-01',
      previous: { from: '2025-01-01', to: '2025-03-01' },
    });
    // A leap year's Dec 31 is day 366: the previous (365-day) year is capped at its Dec 31.
    expect(previousOf('year', '2028-12-31')).toEqual(span('2027-01-01', '2027-12-31'));
  });

  it('all spans the data and has nothing to compare with', () => {
    expect(rangeWindow('all', '2026-03-14', '2024-11-01')).toMatchObject({
      from: '2024-11-01',
      to: '2026-03-14',
      previous: null,
    });
  });

  it('parses the query parameters and rejects anything else with a usage error', () => {
    expect(parseRangeName(undefined)).toBe('last30');
    expect(parseRangeName('quarter')).toBe('quarter');
    expect(() => parseRangeName('week')).toThrow(/not one of last30, month, quarter, year, all/);
    expect(parseProvince('')).toBeNull();
    expect(parseProvince('PH-00')).toBe('PH-00');
    expect(parseProvince('PH-CEB')).toBe('PH-CEB');
    expect(() => parseProvince("PH-CEB' or 1=1")).toThrow(/province code like PH-CEB/);
    expect(() => parseProvince(['PH-CEB', 'PH-00'])).toThrow(
      expect.objectContaining({ code: 'ORDERFLOW_USAGE' }),
    );
    expect(parseDay('2024-02-29', 'asOf')).toBe('2024-02-29');
    expect(() => parseDay('2026-02-30', 'asOf')).toThrow(/not a date/);
  });

  it('day arithmetic crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(changePercent(110, 100)).toBe(10);
    expect(changePercent(50, 0)).toBeNull();
    expect(changePercent(0, 80)).toBe(-100);
  });
});
