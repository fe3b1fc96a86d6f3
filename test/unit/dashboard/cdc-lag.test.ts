import { describe, expect, it } from 'vitest';
import { cdcLag, percentile, type CdcLanding } from '../../../dashboard/live/cdc-lag.ts';
import { between, chance, seededRng } from '../../../common/seeded-rng.ts';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const WINDOW = 10 * 60_000;
const landing = (table: string, changedAgo: number, lagMs: number): CdcLanding => ({
  table,
  changedAt: NOW - changedAgo,
  landedAt: NOW - changedAgo + lagMs,
});

describe('CDC lag of the shop change stream', () => {
  it('nearest-rank percentiles', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.95)).toBe(7);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it('lag = landed - changed over the window, overall and per table; the newest change and its age', () => {
    const lag = cdcLag(
      [
        landing('shop_stock', 60_000, 400),
        landing('shop_stock', 30_000, 1200),
        landing('shop_stock', 5_000, 800),
        landing('shop_products', 120_000, 3000),
      ],
      NOW,
      WINDOW,
    );
    expect(lag.changes).toBe(4);
    expect(lag.medianMs).toBe(800);
    expect(lag.p95Ms).toBe(3000);
    expect(lag.maxMs).toBe(3000);
    expect(lag.tables).toEqual([
      { table: 'shop_products', changes: 1, medianMs: 3000, p95Ms: 3000, maxMs: 3000 },
      { table: 'shop_stock', changes: 3, medianMs: 800, p95Ms: 1200, maxMs: 1200 },
    ]);
    expect(lag.newest).toEqual({
      table: 'shop_stock',
      changedAt: NOW - 5000,
      landedAt: NOW - 4200,
      ageMs: 5000,
    });
  });

  it('changes landed before the window do not count, but the newest of them still shows how old the stream is', () => {
    // A stalled stream: nothing landed for an hour; the last change landed is an hour and a bit old.
    const lag = cdcLag(
      [landing('shop_stock', 3_700_000, 500), landing('shop_stock', 4_000_000, 900)],
      NOW,
      WINDOW,
    );
    expect(lag.changes).toBe(0);
    expect([lag.medianMs, lag.p95Ms, lag.maxMs]).toEqual([null, null, null]);
    expect(lag.tables).toEqual([]);
    expect(lag.newest?.ageMs).toBe(3_700_000);
  });

  it('no landed rows: no figures and no newest change', () => {
    expect(cdcLag([], NOW, WINDOW)).toEqual({
      windowMs: WINDOW,
      changes: 0,
      medianMs: null,
      p95Ms: null,
      maxMs: null,
      newest: null,
      tables: [],
    });
  });

  it('a change stamped after it landed (clocks apart) counts as 0 ms; rows landed after now are left out', () => {
    const lag = cdcLag([landing('shop_stock', 10_000, -250), landing('shop_stock', 0, 5_000)], NOW, WINDOW);
    expect(lag.changes).toBe(1);
    expect(lag.maxMs).toBe(0);
  });

  it('agrees with a sort of the same lags (seeded random landings)', () => {
    const rng = seededRng('cdc-lag-20261202');
    const landings = Array.from({ length: 501 }, () =>
      landing(
        chance(rng) < 0.7 ? 'shop_stock' : 'shop_products',
        between(rng, 0, 2 * WINDOW),
        between(rng, 0, 5000),
      ),
    );
    const lag = cdcLag(landings, NOW, WINDOW);
    const inWindow = landings
      .filter((l) => l.landedAt > NOW - WINDOW && l.landedAt <= NOW)
      .map((l) => l.landedAt - l.changedAt)
      .sort((a, b) => a - b);
    expect(inWindow.length).toBeGreaterThan(100);
    expect(lag.changes).toBe(inWindow.length);
    expect(lag.medianMs).toBe(inWindow[Math.ceil(inWindow.length / 2) - 1]);
    expect(lag.p95Ms).toBe(inWindow[Math.ceil(0.95 * inWindow.length) - 1]);
    expect(lag.maxMs).toBe(inWindow.at(-1));
    expect(lag.tables.reduce((a, t) => a + t.changes, 0)).toBe(lag.changes);
  });
});
