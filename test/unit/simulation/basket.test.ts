import { describe, expect, it } from 'vitest';
import { CATALOGUE, productBySku } from '../../../reference/catalogue.ts';
import { DEFAULT_CONFIG, makeConfig } from '../../../simulation/config.ts';
import { BasketModel } from '../../../simulation/model/basket.ts';
import type { DayKind } from '../../../reference/calendar.ts';
import { Random } from '../../../simulation/model/random.ts';

const baskets = (n: number, kind: DayKind = 'ordinary', config = DEFAULT_CONFIG, seed = 1) => {
  const model = new BasketModel(config, new Random(seed, 'b'));
  return Array.from({ length: n }, () => model.draw(kind));
};

describe('baskets', () => {
  it('hold 1-7 distinct SKUs, mean ~2.9 (seed 1, 20k baskets, +- 0.1)', () => {
    const b = baskets(20_000);
    let lines = 0;
    const sizes = new Set<number>();
    for (const basket of b) {
      sizes.add(basket.length);
      lines += basket.length;
      expect(new Set(basket.map((l) => l.product.sku)).size).toBe(basket.length);
    }
    expect([...sizes].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines / b.length).toBeGreaterThan(2.8);
    expect(lines / b.length).toBeLessThan(3.0);
  });

  it('quantities stay within the cap of the day: 9 ordinary, 12 payday, 15 month-end', () => {
    for (const [kind, cap] of [
      ['ordinary', 9],
      ['payday', 12],
      ['monthEnd', 15],
    ] as const) {
      const q = baskets(5_000, kind)
        .flat()
        .map((l) => l.quantity);
      expect(Math.min(...q)).toBe(1);
      expect(Math.max(...q)).toBe(cap);
    }
  });

  it('expected quantity is max(1, cap x (1 - price/1000))', () => {
    const model = new BasketModel(DEFAULT_CONFIG, new Random(1, 'b'));
    expect(model.expectedQuantity(2500, 9)).toBeCloseTo(8.775, 10);
    expect(model.expectedQuantity(50000, 12)).toBe(6);
    expect(model.expectedQuantity(150000, 15)).toBe(1);
  });

  it('cheap items sell in larger quantities than dear ones (seed 2)', () => {
    const lines = baskets(20_000, 'ordinary', DEFAULT_CONFIG, 2).flat();
    const meanQ = (pred: (price: number) => boolean): number => {
      const xs = lines.filter((l) => pred(l.product.priceCents / 100));
      return xs.reduce((s, l) => s + l.quantity, 0) / xs.length;
    };
    const cheap = meanQ((p) => p <= 100);
    const mid = meanQ((p) => p > 300 && p <= 850);
    const dear = meanQ((p) => p >= 1000);
    expect(cheap).toBeGreaterThan(7);
    expect(mid).toBeLessThan(cheap);
    expect(dear).toBeLessThan(mid);
    expect(dear).toBeLessThan(2);
  });

  it('companions are bought together far more often than chance (lift > 2 for the listed pairs)', () => {
    const b = baskets(30_000, 'ordinary', DEFAULT_CONFIG, 3);
    const has = (basket: { product: { sku: number } }[], sku: number): boolean =>
      basket.some((l) => l.product.sku === sku);
    const lift = (x: number, y: number): number => {
      const px = b.filter((s) => has(s, x)).length / b.length;
      const py = b.filter((s) => has(s, y)).length / b.length;
      const pxy = b.filter((s) => has(s, x) && has(s, y)).length / b.length;
      return pxy / (px * py);
    };
    expect(lift(1, 2)).toBeGreaterThan(2);
    expect(lift(16, 17)).toBeGreaterThan(2);
    expect(lift(39, 40)).toBeGreaterThan(2);
    // a pair that is not listed stays near independence
    expect(productBySku(4).companions).not.toContain(45);
    expect(lift(4, 45)).toBeLessThan(1.5);
  });

  it('without affinity there is no pair structure', () => {
    const b = baskets(30_000, 'ordinary', makeConfig({ basket: { affinity: 0 } }), 3);
    const px = b.filter((s) => s.some((l) => l.product.sku === 16)).length / b.length;
    const py = b.filter((s) => s.some((l) => l.product.sku === 17)).length / b.length;
    const pxy =
      b.filter((s) => s.some((l) => l.product.sku === 16) && s.some((l) => l.product.sku === 17)).length /
      b.length;
    expect(pxy / (px * py)).toBeLessThan(1.6);
  });

  it('popular everyday goods are drawn more often than dear electronics', () => {
    const lines = baskets(10_000).flat();
    const count = (sku: number): number => lines.filter((l) => l.product.sku === sku).length;
    expect(count(1)).toBeGreaterThan(3 * count(55));
    expect(CATALOGUE).toHaveLength(55);
  });
});
