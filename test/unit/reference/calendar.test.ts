/**
 * The shop calendar is defined once (reference/calendar.ts) for the generator; the warehouse's
 * dim_date computes the same rules in SQL (warehouse/migrations/008_calendar_span.sql, the latest
 * refresh_dim_date). Applied migrations cannot change, so this test holds the two together.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MONTH_END_DAYS,
  PAYDAY_DAYS,
  SHOP_TIME_ZONE,
  SHOP_UTC_OFFSET_MINUTES,
  localDay,
} from '../../../reference/calendar.ts';
import { DEFAULT_CONFIG } from '../../../simulation/config.ts';

const SQL = readFileSync(
  new URL('../../../warehouse/migrations/008_calendar_span.sql', import.meta.url),
  'utf8',
);

describe('shop calendar', () => {
  it('is the generator default', () => {
    expect(DEFAULT_CONFIG.utcOffsetMinutes).toBe(SHOP_UTC_OFFSET_MINUTES);
    expect(DEFAULT_CONFIG.gaps.paydayDays).toEqual(PAYDAY_DAYS);
    expect(DEFAULT_CONFIG.gaps.monthEndDays).toBe(MONTH_END_DAYS);
  });

  it('the warehouse counts days in the same zone, with the same payday and month-end days', () => {
    expect(SQL).toContain(`at time zone '${SHOP_TIME_ZONE}'`);
    expect(SQL).toContain(`extract(day from day) in (${PAYDAY_DAYS.join(', ')})`);
    expect(SQL).toContain(`interval '1 month' - interval '${MONTH_END_DAYS} days'`);
  });

  it('classifies Manila days: payday, month-end, ordinary', () => {
    const at = (iso: string) => localDay(Date.parse(iso), DEFAULT_CONFIG).kind;
    expect(at('2025-03-13T16:00:00Z')).toBe('payday'); // 2025-03-14 00:00 in Manila
    expect(at('2025-03-13T15:59:59Z')).toBe('ordinary');
    expect(at('2025-03-30T16:00:00Z')).toBe('monthEnd'); // March 31
    expect(at('2025-02-26T16:00:00Z')).toBe('monthEnd'); // Feb 27 (not a leap year)
  });
});
