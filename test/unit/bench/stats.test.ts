import { describe, expect, it } from 'vitest';
import {
  cpuPercent,
  latencySummary,
  median,
  percentile,
  rateFromCommits,
  ratio,
  summarize,
} from '../../../bench/stats.ts';

describe('median, min, max', () => {
  it('takes the middle sample of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(summarize([9, 2, 7, 4, 5])).toEqual({ n: 5, median: 5, min: 2, max: 9 });
  });

  it('averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([10, 20])).toEqual({ n: 2, median: 15, min: 10, max: 20 });
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses no samples and non-finite samples', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 101 }, (_, i) => i); // 0..100

  it('matches the rank on an evenly spaced sample', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 0)).toBe(0);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('interpolates between ranks (numpy linear)', () => {
    // numpy.percentile([1, 2, 3, 4], 95) = 3.85
    expect(percentile([4, 1, 3, 2], 95)).toBeCloseTo(3.85, 10);
    expect(percentile([10, 20], 25)).toBeCloseTo(12.5, 10);
  });

  it('p50 equals the median', () => {
    const values = [7, 3, 9, 1, 4, 8];
    expect(percentile(values, 50)).toBe(median(values));
  });

  it('rejects a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });

  it('summarises latencies', () => {
    expect(latencySummary(hundred)).toEqual({ n: 101, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('rateFromCommits', () => {
  it('leaves the first commit’s records out of the rate', () => {
    // 1000 committed at t=1 s, all 10 000 at t=10 s: 9000 records in 9 s.
    expect(rateFromCommits(10_000, 1000, 1000, 10_000)).toBe(1000);
  });

  it('is NaN with a single commit (no interval observed)', () => {
    expect(rateFromCommits(500, 500, 100, 100)).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides medians and judges the target', () => {
    const r = ratio('stage / pass-through', { id: 'stage', median: 700 }, { id: 'pass', median: 1000 }, 0.7);
    expect(r.value).toBeCloseTo(0.7, 12);
    expect(r.met).toBe(true);
    const miss = ratio(
      'stage / pass-through',
      { id: 'stage', median: 699 },
      { id: 'pass', median: 1000 },
      0.7,
    );
    expect(miss.met).toBe(false);
  });

  it('has no value when a side is missing or zero, and no verdict without a target', () => {
    expect(ratio('x', { id: 'a', median: null }, { id: 'b', median: 5 }, 0.5)).toMatchObject({
      value: null,
      met: null,
    });
    expect(ratio('x', { id: 'a', median: 5 }, { id: 'b', median: 0 })).toMatchObject({
      value: null,
      met: null,
    });
    const plain = ratio('x', { id: 'a', median: 3 }, { id: 'b', median: 4 });
    expect(plain.value).toBe(0.75);
    expect(plain.met).toBeNull();
    expect(plain).not.toHaveProperty('target');
  });
});

describe('cpuPercent', () => {
  it('turns clock ticks over wall time into percent of one core', () => {
    expect(cpuPercent(150, 100, 1)).toBe(150); // 1.5 s of CPU in 1 s: one and a half cores
    expect(cpuPercent(50, 100, 2)).toBe(25);
    expect(cpuPercent(10, 100, 0)).toBeNaN();
  });
});
