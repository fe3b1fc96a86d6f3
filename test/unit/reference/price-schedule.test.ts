import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import {
  PriceBook,
  SCHEDULE_END,
  SCHEDULE_START,
  changeInForce,
  localMidnight,
  priceSchedule,
  productSchedule,
  type PriceChange,
} from '../../../reference/price-schedule.ts';

const SEED = 7;
const all = priceSchedule(SEED);
const bySku = new Map<number, PriceChange[]>();
for (const c of all) bySku.set(c.sku, [...(bySku.get(c.sku) ?? []), c]);
/** Local (Asia/Manila) calendar fields of an instant. */
const local = (t: number) => {
  const d = new Date(t + 8 * 3_600_000);
  return {
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
};

describe('price schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(priceSchedule(SEED)).toEqual(all);
    expect(priceSchedule(8)).not.toEqual(all);
  });

  it('opens every SKU at its catalogue price and cost at the schedule start', () => {
    for (const p of CATALOGUE) {
      expect(bySku.get(p.sku)![0]).toEqual({
        sku: p.sku,
        effectiveAt: SCHEDULE_START,
        priceCents: p.priceCents,
        costCents: p.costCents,
        reason: 'opening',
      });
    }
  });

  it('keeps each SKU in strict time order inside the span, changes at local midnight', () => {
    for (const s of bySku.values()) {
      for (let i = 1; i < s.length; i++) expect(s[i]!.effectiveAt).toBeGreaterThan(s[i - 1]!.effectiveAt);
      for (const c of s) {
        expect(c.effectiveAt).toBeGreaterThanOrEqual(SCHEDULE_START);
        expect(c.effectiveAt).toBeLessThan(SCHEDULE_END);
        expect(local(c.effectiveAt)).toMatchObject({ hour: 0, minute: 0 });
      }
    }
  });

  it('raises cost and price together by 2-8% on the first day of a quarter', () => {
    const rises = all.filter((c) => c.reason === 'cost-increase');
    // 55 SKUs x 15 quarters x 30%: about 250 (tolerance for the seed's draw).
    expect(rises.length).toBeGreaterThan(180);
    expect(rises.length).toBeLessThan(320);
    for (const c of rises) {
      const s = bySku.get(c.sku)!;
      const before = s[s.indexOf(c) - 1]!;
      expect(local(c.effectiveAt).day).toBe(1);
      expect([1, 4, 7, 10]).toContain(local(c.effectiveAt).month);
      const costRise = c.costCents / before.costCents - 1;
      expect(costRise).toBeGreaterThan(0.02 - 0.01);
      expect(costRise).toBeLessThan(0.08 + 0.01);
      expect(before.reason).not.toBe('promotion'); // never inside a promotion
      expect(c.priceCents).toBeGreaterThan(before.priceCents);
    }
  });

  it('runs promotions of 3-10 days, 10-30% off, never below cost, then back to list', () => {
    const promos = all.filter((c) => c.reason === 'promotion');
    expect(promos.length).toBeGreaterThan(300); // 55 x 48 months x 15%: about 400
    expect(promos.length).toBeLessThan(500);
    for (const c of promos) {
      const s = bySku.get(c.sku)!;
      const i = s.indexOf(c);
      const before = s[i - 1]!;
      const end = s[i + 1]!;
      expect(end.reason).toBe('promotion-end');
      expect(end.priceCents).toBe(before.priceCents);
      expect(end.costCents).toBe(c.costCents);
      const days = (end.effectiveAt - c.effectiveAt) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(3);
      expect(days).toBeLessThanOrEqual(10);
      expect(local(c.effectiveAt).day).toBeGreaterThanOrEqual(2);
      expect(local(end.effectiveAt).day).toBeLessThanOrEqual(28);
      expect(c.priceCents).toBeGreaterThanOrEqual(c.costCents);
      const off = 1 - c.priceCents / before.priceCents;
      if (c.priceCents > c.costCents) {
        expect(off).toBeGreaterThan(0.1 - 0.005);
        expect(off).toBeLessThan(0.3 + 0.005);
      }
    }
  });

  it('gives the change in force at a time: the opening before the start, the last after the end', () => {
    const s = productSchedule(SEED, CATALOGUE[0]!);
    expect(changeInForce(s, SCHEDULE_START - 1)).toBe(s[0]);
    expect(changeInForce(s, SCHEDULE_END + 1e12)).toBe(s[s.length - 1]);
    for (let i = 0; i < s.length; i++) {
      expect(changeInForce(s, s[i]!.effectiveAt)).toBe(s[i]);
      if (i > 0) expect(changeInForce(s, s[i]!.effectiveAt - 1)).toBe(s[i - 1]);
    }
  });

  it('prices a catalogue entry as sold at a time', () => {
    const book = new PriceBook(SEED);
    const promo = all.find((c) => c.reason === 'promotion')!;
    const product = CATALOGUE[promo.sku - 1]!;
    const sold = book.entryAt(product, promo.effectiveAt + 3_600_000);
    expect(sold.priceCents).toBe(promo.priceCents);
    expect(sold.price).toBe((promo.priceCents / 100).toFixed(2));
    expect(sold.costCents).toBe(promo.costCents);
    expect(sold.name).toBe(product.name);
    expect(book.entryAt(product, localMidnight(2023, 6, 1))).toBe(product);
  });
});
