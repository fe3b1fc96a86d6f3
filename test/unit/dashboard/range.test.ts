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

const span = (from: string, to: string) => ({ from, to });

/** Each range as of a day: the days it spans and the span it is compared with (data from `firstDay`). */
const WINDOWS: {
  name: Parameters<typeof rangeWindow>[0];
  asOf: string;
  firstDay: string;
  from: string;
  to: string;
  previous: { from: string; to: string } | null;
  why: string;
}[] = [
  {
    name: 'last30',
    asOf: '2026-03-14',
    firstDay: '2024-01-01',
    ...span('2026-02-13', '2026-03-14'),
    previous: span('2026-01-14', '2026-02-12'),
    why: 'ends at the as-of day and compares with the 30 days before',
  },
  {
    name: 'month',
    asOf: '2026-03-14',
    firstDay: '2024-01-01',
    ...span('2026-03-01', '2026-03-14'),
    previous: span('2026-02-01', '2026-02-14'),
    why: 'month to date compares with the same days of the previous month',
  },
  {
    name: 'quarter',
    asOf: '2026-05-20',
    firstDay: '2024-01-01',
    ...span('2026-04-01', '2026-05-20'),
    previous: span('2026-01-01', '2026-02-19'),
    why: 'quarter to date compares with the same days of the previous quarter',
  },
  {
    name: 'year',
    asOf: '2026-03-01',
    firstDay: '2024-01-01',
    ...span('2026-01-01', '2026-03-01'),
    previous: span('2025-01-01', '2025-03-01'),
    why: 'year to date compares with the same days of the previous year',
  },
  {
    name: 'all',
    asOf: '2026-03-14',
    firstDay: '2024-11-01',
    ...span('2024-11-01', '2026-03-14'),
    previous: null,
    why: 'spans the data and has nothing to compare with',
  },
];

/** The span compared with a range where the period before is shorter or in the year before. */
const PREVIOUS: {
  name: Parameters<typeof rangeWindow>[0];
  asOf: string;
  previous: { from: string; to: string };
  why: string;
}[] = [
  {
    name: 'month',
    asOf: '2026-03-31',
    previous: span('2026-02-01', '2026-02-28'),
    why: 'March 31 against the whole of February (28 days in 2026), not into March',
  },
  {
    name: 'month',
    asOf: '2026-01-05',
    previous: span('2025-12-01', '2025-12-05'),
    why: 'January against December of the year before',
  },
  {
    name: 'quarter',
    asOf: '2026-01-10',
    previous: span('2025-10-01', '2025-10-10'),
    why: 'the first quarter against the last of the year before',
  },
  {
    name: 'year',
    asOf: '2028-12-31',
    previous: span('2027-01-01', '2027-12-31'),
    why: "a leap year's Dec 31 is day 366: the previous (365-day) year is capped at its Dec 31",
  },
];

describe('date-range filters', () => {
  it.each(WINDOWS)('$name as of $asOf $why', ({ name, asOf, firstDay, from, to, previous }) => {
    expect(rangeWindow(name, asOf, firstDay)).toMatchObject({ from, to, previous });
  });

  it('last 30 days are 30 days, and so are the 30 before', () => {
    const w = rangeWindow('last30', '2026-03-14', '2024-01-01');
    expect(daysOf(w)).toHaveLength(30);
    expect(daysOf(w.previous!)).toHaveLength(30);
  });

  it.each(PREVIOUS)('$name as of $asOf: $why', ({ name, asOf, previous }) => {
    expect(rangeWindow(name, asOf, '2024-01-01').previous).toEqual(previous);
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
