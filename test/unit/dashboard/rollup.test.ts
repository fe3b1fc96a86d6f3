import { describe, expect, it } from 'vitest';
import { byDayOfMonth, periodOf, rollup, within } from '../../../dashboard/queries/rollup.ts';
import { cents, ratio } from '../../../dashboard/queries/sql.ts';

const days = [
  { day: '2025-12-31', revenue: 1000, orders: 1 },
  { day: '2026-01-01', revenue: 250, orders: 2 },
  { day: '2026-01-31', revenue: 5, orders: 1 },
  { day: '2026-03-31', revenue: 700, orders: 3 },
  { day: '2026-04-01', revenue: 1, orders: 1 },
];

describe('day-series roll-ups', () => {
  it('puts a day in its month, quarter and year', () => {
    expect(periodOf('2026-05-20', 'month')).toBe('2026-05-01');
    expect(periodOf('2026-05-20', 'quarter')).toBe('2026-04-01');
    expect(periodOf('2026-12-31', 'quarter')).toBe('2026-10-01');
    expect(periodOf('2026-03-31', 'quarter')).toBe('2026-01-01');
    expect(periodOf('2026-05-20', 'year')).toBe('2026-01-01');
  });

  it('sums per period in time order and counts the days', () => {
    expect(rollup(days, ['revenue', 'orders'], 'quarter')).toEqual([
      { period: '2025-10-01', days: 1, revenue: 1000, orders: 1 },
      { period: '2026-01-01', days: 3, revenue: 955, orders: 6 },
      { period: '2026-04-01', days: 1, revenue: 1, orders: 1 },
    ]);
    expect(rollup(days, ['revenue'], 'year').map((y) => y.revenue)).toEqual([1000, 956]);
  });

  it('sums by day of month with how many calendar days were summed', () => {
    const dom = byDayOfMonth(days, ['revenue']);
    expect(dom.find((d) => d.dayOfMonth === 31)).toEqual({ dayOfMonth: 31, days: 3, revenue: 1705 });
    expect(dom.find((d) => d.dayOfMonth === 1)).toEqual({ dayOfMonth: 1, days: 2, revenue: 251 });
    expect(dom.map((d) => d.dayOfMonth)).toEqual([1, 31]);
  });

  it('filters a window inclusively', () => {
    expect(within(days, { from: '2026-01-01', to: '2026-03-31' }).map((d) => d.day)).toEqual([
      '2026-01-01',
      '2026-01-31',
      '2026-03-31',
    ]);
  });

  it('keeps money exact in centavos', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; in centavos it is 30.
    expect(cents('0.10') + cents('0.20')).toBe(30);
    expect(cents('1234567.89')).toBe(123456789);
    expect(cents(null)).toBe(0);
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(1, 0)).toBeNull();
  });
});
