import { describe, expect, it } from 'vitest';
import { CATALOGUE, productBySku } from '../../../reference/catalogue.ts';
import { DEFAULT_CONFIG, makeConfig } from '../../../simulation/config.ts';
import { localDay } from '../../../reference/calendar.ts';
import {
  capAtCostInForce,
  DiscountCalendar,
  maxDiscountAtCost,
} from '../../../simulation/model/discounts.ts';

const manila = (y: number, m: number, d: number, hour = 12): number => Date.UTC(y, m - 1, d, hour - 8);

function eventOn(t: number, config = DEFAULT_CONFIG, seed = 1) {
  return new DiscountCalendar(config, seed).eventOn(localDay(t, config));
}

/** The sale event of the day of `t` under seeds 1 to 20 (which of its sizes a sale has is drawn per seed). */
const eventsOverSeeds = (t: number) =>
  Array.from({ length: 20 }, (_, i) => eventOn(t, DEFAULT_CONFIG, i + 1));
/** The distinct numbers of discounted SKUs among `events`, sorted. */
const sizes = (events: ReturnType<typeof eventOn>[]) =>
  [...new Set(events.map((e) => e.discounts.size))].sort();

describe('sale events', () => {
  it('baseline on ordinary days: 16 SKUs, up to 20%', () => {
    const e = eventOn(manila(2025, 3, 5));
    expect(e.kind).toBe('ordinary');
    expect(e.key).toBe('ordinary:2025-03');
    expect(e.discounts.size).toBe(16);
    for (const d of e.discounts.values()) expect(d).toBeLessThanOrEqual(2000);
  });

  it('payday (14th-15th): 30 SKUs up to 20% or 44 SKUs up to 50%', () => {
    const events = eventsOverSeeds(manila(2025, 3, 14));
    for (const e of events) {
      expect(e.kind).toBe('payday');
      const max = Math.max(...e.discounts.values());
      expect(max).toBeLessThanOrEqual(e.discounts.size === 30 ? 2000 : 5000);
    }
    expect(sizes(events)).toEqual([30, 44]);
  });

  it('month-end (last 2 days): 44 SKUs up to 50% or 51 SKUs up to 65%', () => {
    const events = eventsOverSeeds(manila(2025, 4, 30));
    for (const e of events) {
      expect(e.kind).toBe('monthEnd');
      expect(Math.max(...e.discounts.values())).toBeLessThanOrEqual(6500);
    }
    expect(sizes(events)).toEqual([44, 51]);
  });

  it('a sale ends when its last day ends: the 16th and the 1st are back on the baseline', () => {
    const cal = new DiscountCalendar(DEFAULT_CONFIG, 1);
    expect(cal.eventOn(localDay(manila(2025, 3, 15, 23), DEFAULT_CONFIG)).kind).toBe('payday');
    expect(cal.eventOn(localDay(manila(2025, 3, 16, 0), DEFAULT_CONFIG)).kind).toBe('ordinary');
    expect(cal.eventOn(localDay(manila(2025, 3, 31, 23), DEFAULT_CONFIG)).kind).toBe('monthEnd');
    const april = cal.eventOn(localDay(manila(2025, 4, 1, 0), DEFAULT_CONFIG));
    expect(april.kind).toBe('ordinary');
    expect(april.discounts.size).toBe(16);
    // one month's sale is not the next month's
    expect(eventOn(manila(2025, 5, 31)).key).toBe('monthEnd:2025-05');
  });

  it('events are the same whatever came before (keyed by the event, not the order count)', () => {
    const a = new DiscountCalendar(DEFAULT_CONFIG, 9);
    a.eventOn(localDay(manila(2025, 1, 3), DEFAULT_CONFIG));
    a.eventOn(localDay(manila(2025, 2, 14), DEFAULT_CONFIG));
    const fromA = a.eventOn(localDay(manila(2025, 3, 14), DEFAULT_CONFIG));
    const fresh = new DiscountCalendar(DEFAULT_CONFIG, 9).eventOn(
      localDay(manila(2025, 3, 14), DEFAULT_CONFIG),
    );
    expect([...fromA.discounts]).toEqual([...fresh.discounts]);
  });

  it('never prices below unit cost (all months of 2025, 10 seeds)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (let m = 1; m <= 12; m++) {
        for (const d of [5, 14, 28]) {
          const e = eventOn(manila(2025, m, d), DEFAULT_CONFIG, seed);
          for (const [sku, hundredths] of e.discounts) {
            const p = productBySku(sku);
            expect(p.priceCents * (10000 - hundredths)).toBeGreaterThanOrEqual(p.costCents * 10000);
          }
        }
      }
    }
  });

  it('allowBelowCost lets a deep sale go under cost', () => {
    const config = makeConfig({ discounts: { allowBelowCost: true } });
    let below = 0;
    for (let seed = 1; seed <= 10; seed++) {
      for (const [sku, h] of eventOn(manila(2025, 4, 30), config, seed).discounts)
        if (h > maxDiscountAtCost(productBySku(sku))) below++;
    }
    expect(below).toBeGreaterThan(0);
  });

  it('maxDiscountAtCost is the margin, floored to a hundredth of a percent', () => {
    const p = CATALOGUE[0]!; // 78.00, cost 56.16: margin 28%
    expect(maxDiscountAtCost(p)).toBe(2800);
    expect(maxDiscountAtCost({ priceCents: 300, costCents: 200 })).toBe(3333);
  });

  it('capAtCostInForce caps each line at the price and cost in force, keeps only the lines', () => {
    const event = new Map([
      [1, 2500],
      [2, 1000],
      [3, 4000],
    ]);
    // SKU 1 on promotion (price 100.00 -> 80.00, cost 70.00): at most 12.50% off now, not 25%.
    const lines = [
      { sku: 1, priceCents: 8000, costCents: 7000 },
      { sku: 2, priceCents: 10000, costCents: 5000 },
      { sku: 4, priceCents: 10000, costCents: 5000 },
    ];
    expect([...capAtCostInForce(event, lines, false)]).toEqual([
      [1, 1250],
      [2, 1000],
    ]);
    expect(capAtCostInForce(event, lines, true)).toBe(event);
    // a price at cost leaves no room: no discount (never a negative one)
    expect(capAtCostInForce(event, [{ sku: 3, priceCents: 5000, costCents: 5000 }], false).get(3)).toBe(0);
  });
});
