import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, type FreshSchema } from './fresh-schema.ts';

let db: FreshSchema;

beforeAll(async () => {
  db = await freshSchema('dimdate');
  // One order in 2024 and one finishing in 2025: the calendar must cover both years (and this year).
  await db.client.query(`insert into orders (order_id, order_date, finished_date) values
    ('a', '2024-02-10T00:00:00Z', '2024-02-17T00:00:00Z'), ('b', '2024-12-30T20:00:00Z', '2025-01-05T00:00:00Z')`);
  await db.client.query('select refresh_dim_date()');
});
afterAll(async () => {
  await db?.drop();
});

const day = async (d: string) =>
  (await db.client.query(`select * from dim_date where date_day = $1::date`, [d])).rows[0] as Record<
    string,
    unknown
  >;

describe('dim_date', () => {
  it('covers whole years: the data years, and five years back to one ahead of the current year', async () => {
    const { rows } = await db.client.query<{ lo: string; hi: string; n: string }>(
      `select min(date_day)::text as lo, max(date_day)::text as hi, count(*) as n from dim_date`,
    );
    const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    expect(rows[0]!.lo).toBe(`${Math.min(thisYear - 5, 2024)}-01-01`);
    expect(rows[0]!.hi).toBe(`${Math.max(thisYear + 1, 2025)}-12-31`);
    expect(Number(rows[0]!.n)).toBe((Date.parse(rows[0]!.hi) - Date.parse(rows[0]!.lo)) / 86_400_000 + 1);
  });

  it('marks Philippine regular holidays, including the Easter-based and last-Monday ones', async () => {
    const holidays = (
      await db.client.query<{ d: string; holiday_name: string }>(
        `select date_day::text as d, holiday_name from dim_date where is_holiday and year = 2024 order by 1`,
      )
    ).rows;
    expect(holidays).toEqual([
      { d: '2024-01-01', holiday_name: "New Year's Day" },
      { d: '2024-03-28', holiday_name: 'Maundy Thursday' },
      { d: '2024-03-29', holiday_name: 'Good Friday' },
      { d: '2024-04-09', holiday_name: 'Araw ng Kagitingan' },
      { d: '2024-05-01', holiday_name: 'Labor Day' },
      { d: '2024-06-12', holiday_name: 'Independence Day' },
      { d: '2024-08-26', holiday_name: 'National Heroes Day' },
      { d: '2024-11-30', holiday_name: 'Bonifacio Day' },
      { d: '2024-12-25', holiday_name: 'Christmas Day' },
      { d: '2024-12-30', holiday_name: 'Rizal Day' },
    ]);
    expect((await day('2025-04-18')).holiday_name).toBe('Good Friday');
    expect((await day('2025-08-25')).holiday_name).toBe('National Heroes Day');
  });

  it('flags paydays, month-end sale days (Feb 27-29) and weekends', async () => {
    const flags = async (d: string) => {
      const r = await day(d);
      return [r.is_payday, r.is_month_end, r.is_weekend, r.quarter, r.iso_weekday];
    };
    expect(await flags('2024-02-14')).toEqual([true, false, false, 1, 3]);
    expect(await flags('2024-02-26')).toEqual([false, false, false, 1, 1]);
    expect(await flags('2024-02-27')).toEqual([false, true, false, 1, 2]);
    expect(await flags('2024-02-29')).toEqual([false, true, false, 1, 4]);
    expect(await flags('2024-03-30')).toEqual([false, true, true, 1, 6]);
    expect(await flags('2024-03-29')).toEqual([false, false, false, 1, 5]);
    expect(await flags('2024-10-15')).toEqual([true, false, false, 4, 2]);
  });
});
