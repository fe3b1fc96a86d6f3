import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, makeConfig } from '../../../simulation/config.ts';
import { daysInMonth, localDay } from '../../../reference/calendar.ts';
import { Random } from '../../../simulation/model/random.ts';
import { normaliseCurve, VolumeModel } from '../../../simulation/model/volume.ts';

const MIN = 60_000;
/** 09:00 Manila (01:00 UTC) on a local date. */
const manila = (y: number, m: number, d: number, hour = 9): number => Date.UTC(y, m - 1, d, hour - 8);

describe('calendar', () => {
  it('classifies payday (14th-15th), month-end (last 2 days) and ordinary days in Manila time', () => {
    expect(localDay(manila(2025, 3, 14), DEFAULT_CONFIG).kind).toBe('payday');
    expect(localDay(manila(2025, 3, 15), DEFAULT_CONFIG).kind).toBe('payday');
    expect(localDay(manila(2025, 3, 16), DEFAULT_CONFIG).kind).toBe('ordinary');
    expect(localDay(manila(2025, 3, 29), DEFAULT_CONFIG).kind).toBe('ordinary');
    expect(localDay(manila(2025, 3, 30), DEFAULT_CONFIG).kind).toBe('monthEnd');
    expect(localDay(manila(2025, 3, 31), DEFAULT_CONFIG).kind).toBe('monthEnd');
    expect(localDay(manila(2025, 4, 29), DEFAULT_CONFIG).kind).toBe('monthEnd');
    expect(localDay(manila(2025, 2, 27), DEFAULT_CONFIG).kind).toBe('monthEnd');
    expect(localDay(manila(2024, 2, 27), DEFAULT_CONFIG).kind).toBe('ordinary'); // leap year: 28-29
    expect(localDay(manila(2024, 2, 29), DEFAULT_CONFIG).kind).toBe('monthEnd');
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it('uses the local day: 23:30 UTC on the 13th is already the 14th in Manila', () => {
    const day = localDay(Date.UTC(2025, 2, 13, 23, 30), DEFAULT_CONFIG);
    expect(day.day).toBe(14);
    expect(day.hour).toBe(7);
    expect(day.kind).toBe('payday');
    expect(day.endsAt).toBe(Date.UTC(2025, 2, 14, 16, 0)); // next Manila midnight
  });
});

function gaps(t: number, n: number, seed = 1): number[] {
  const model = new VolumeModel(makeConfig({ timeOfDay: Array(24).fill(1) }), new Random(seed, 'v'));
  return Array.from({ length: n }, () => model.nextGap(t));
}

describe('gaps between orders (flat time-of-day curve)', () => {
  it('ordinary days: 0-4 h plus 0-59 min, mean ~2 h 28 min (slow 1-4 h 23%, normal 1-3 h 63%, fast 0-2 h 14%)', () => {
    const g = gaps(manila(2025, 3, 5), 20_000);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(10 * MIN);
    expect(Math.max(...g)).toBeLessThan(5 * 60 * MIN);
    const mean = g.reduce((s, x) => s + x, 0) / g.length / MIN;
    // 0.23*2.5 h + 0.63*2 h + 0.14*1 h + 29.5 min + 0.5 min = 148.5 min; tolerance 3 min (seed 1)
    expect(mean).toBeGreaterThan(145.5);
    expect(mean).toBeLessThan(151.5);
  });

  it('payday: 0 or 1 h plus 34-59 min', () => {
    const g = gaps(manila(2025, 3, 14), 5_000).map((x) => x / MIN);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(34);
    expect(Math.max(...g)).toBeLessThan(120);
    expect(g.some((x) => x >= 94)).toBe(true);
    expect(g.some((x) => x < 60)).toBe(true);
  });

  it('month-end: 34-59 min', () => {
    const g = gaps(manila(2025, 3, 31), 5_000).map((x) => x / MIN);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(34);
    expect(Math.max(...g)).toBeLessThan(60);
  });

  it('never closer than the 10-minute floor, even with a large adjuster offset', () => {
    const model = new VolumeModel(
      makeConfig({
        adjuster: {
          ...DEFAULT_CONFIG.adjuster,
          more: 100,
          less: 0,
          same: 0,
          maxOffsetMinutes: 500,
          every: 1,
        },
      }),
      new Random(3, 'v'),
    );
    for (let i = 1; i <= 300; i++) model.orderPlaced(i);
    expect(model.adjusterOffsetMinutes).toBeGreaterThan(59);
    for (let i = 0; i < 2000; i++)
      expect(model.nextGap(manila(2025, 3, 31, i % 24))).toBeGreaterThanOrEqual(10 * MIN);
  });
});

describe('volume adjuster', () => {
  it('is re-drawn only every 400 orders, in 2-4 minute steps, within [0, max]', () => {
    const model = new VolumeModel(DEFAULT_CONFIG, new Random(5, 'v'));
    const offsets: number[] = [];
    for (let i = 1; i <= 40_000; i++) {
      const before = model.adjusterOffsetMinutes;
      model.orderPlaced(i);
      const change = Math.abs(model.adjusterOffsetMinutes - before);
      if (i % 400 !== 0) expect(change).toBe(0);
      else {
        expect(
          change === 0 ||
            (change >= 2 && change <= 4) ||
            model.adjusterOffsetMinutes === 0 ||
            model.adjusterOffsetMinutes === 30,
        ).toBe(true);
        offsets.push(model.adjusterOffsetMinutes);
      }
    }
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(DEFAULT_CONFIG.adjuster.maxOffsetMinutes);
    // more (47%) beats less (39%): the offset drifts up, so gaps shrink and volume grows.
    const firstTenth = offsets.slice(0, 10).reduce((s, x) => s + x, 0) / 10;
    const lastTenth = offsets.slice(-10).reduce((s, x) => s + x, 0) / 10;
    expect(lastTenth).toBeGreaterThan(firstTenth);
  });

  it('shortens gaps by its offset', () => {
    const config = makeConfig({
      timeOfDay: Array(24).fill(1),
      adjuster: { ...DEFAULT_CONFIG.adjuster, every: 1, more: 1, less: 0, same: 0, stepMinutes: [4, 4] },
    });
    const a = new VolumeModel(config, new Random(9, 'v'));
    const b = new VolumeModel(config, new Random(9, 'v'));
    for (let i = 1; i <= 5; i++) b.orderPlaced(i); // 5 steps of 4 min = 20 min
    // The adjuster draws from the same stream, so compare means rather than single gaps.
    const t = manila(2025, 3, 5);
    const mean = (m: VolumeModel): number => {
      let s = 0;
      for (let i = 0; i < 4000; i++) s += m.nextGap(t);
      return s / 4000 / MIN;
    };
    expect(mean(a) - mean(b)).toBeGreaterThan(17);
    expect(mean(a) - mean(b)).toBeLessThan(23);
  });
});

describe('time-of-day curve', () => {
  it('is normalised so the hourly rates average 1 (orders per day unchanged)', () => {
    const curve = normaliseCurve(DEFAULT_CONFIG.timeOfDay);
    const meanRate = curve.reduce((s, g) => s + 1 / g, 0) / 24;
    expect(meanRate).toBeCloseTo(1, 10);
    // evenings are busier than the small hours
    expect(curve[20]!).toBeLessThan(curve[3]!);
  });

  it('rejects a curve without 24 positive entries', () => {
    expect(() => normaliseCurve([1, 2, 3])).toThrow(/24/);
    expect(() => normaliseCurve([...Array(23).fill(1), 0])).toThrow(/positive/);
  });

  it('puts more orders in the evening than before dawn (seed 4, 20k gaps)', () => {
    const model = new VolumeModel(DEFAULT_CONFIG, new Random(4, 'v'));
    const byHour = Array(24).fill(0) as number[];
    let t = manila(2025, 3, 2);
    for (let i = 0; i < 20_000; i++) {
      byHour[localDay(t, DEFAULT_CONFIG).hour]!++;
      t += model.nextGap(t);
    }
    expect(byHour[20]!).toBeGreaterThan(2 * byHour[3]!);
  });
});
