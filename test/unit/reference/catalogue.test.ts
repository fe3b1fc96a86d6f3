import { describe, expect, it } from 'vitest';
import { CATALOGUE, PRODUCTS, productBySku } from '../../../reference/catalogue.ts';
import { LOCATIONS, TIER_SHARES, locationWeights } from '../../../reference/locations.ts';

describe('catalogue', () => {
  it('has 55 SKUs numbered 1..55 with names and categories', () => {
    expect(CATALOGUE.map((p) => p.sku)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
    expect(new Set(CATALOGUE.map((p) => p.name)).size).toBe(55);
    for (const p of CATALOGUE) {
      expect(p.name.length).toBeGreaterThan(3);
      expect(p.category.length).toBeGreaterThan(3);
    }
    expect(new Set(CATALOGUE.map((p) => p.category)).size).toBeGreaterThanOrEqual(8);
  });

  it('prices in three tiers: SKU 1-22 PHP 25-850, 23-42 PHP 1,000-2,000, 43-55 PHP 2,100-3,450', () => {
    const tier = (from: number, to: number): number[] =>
      CATALOGUE.filter((p) => p.sku >= from && p.sku <= to).map((p) => p.priceCents / 100);
    expect(Math.min(...tier(1, 22))).toBe(25);
    expect(Math.max(...tier(1, 22))).toBe(850);
    expect(Math.min(...tier(23, 42))).toBe(1000);
    expect(Math.max(...tier(23, 42))).toBeLessThanOrEqual(2000);
    expect(Math.min(...tier(43, 55))).toBe(2100);
    expect(Math.max(...tier(43, 55))).toBe(3450);
  });

  it('unit costs give gross margins between 25% and 65%', () => {
    for (const p of CATALOGUE) {
      const margin = 1 - p.costCents / p.priceCents;
      expect(margin).toBeGreaterThanOrEqual(0.25 - 1e-4);
      expect(margin).toBeLessThanOrEqual(0.65 + 1e-4);
    }
  });

  it('exports PRODUCTS for the warehouse with decimal strings', () => {
    expect(PRODUCTS).toHaveLength(55);
    expect(PRODUCTS[0]).toEqual({
      sku: 1,
      name: CATALOGUE[0]!.name,
      category: CATALOGUE[0]!.category,
      price: '78.00',
      cost: '56.16',
    });
    for (const p of PRODUCTS) {
      expect(p.price).toMatch(/^\d+\.\d{2}$/);
      expect(p.cost).toMatch(/^\d+\.\d{2}$/);
      expect(Object.keys(p).sort()).toEqual(['category', 'cost', 'name', 'price', 'sku']);
    }
  });

  it('co-purchase companions are symmetric and point at real SKUs', () => {
    for (const p of CATALOGUE) {
      for (const c of p.companions) {
        expect(c).not.toBe(p.sku);
        expect(productBySku(c).companions).toContain(p.sku);
      }
    }
    expect(CATALOGUE.filter((p) => p.companions.length > 0).length).toBeGreaterThan(45);
    expect(() => productBySku(56)).toThrow(/56/);
  });
});

describe('locations', () => {
  it('has 99 LGUs: 17 Metro Manila cities (PH-00) and 82 provinces with ISO 3166-2 codes', () => {
    expect(LOCATIONS).toHaveLength(99);
    const metro = LOCATIONS.filter((l) => l.tier === 'metro_manila');
    expect(metro).toHaveLength(17);
    expect(metro.every((l) => l.provincial_code === 'PH-00')).toBe(true);
    const provinces = LOCATIONS.filter((l) => l.tier !== 'metro_manila');
    expect(provinces).toHaveLength(82);
    expect(new Set(provinces.map((l) => l.provincial_code)).size).toBe(82);
    for (const l of provinces) expect(l.provincial_code).toMatch(/^PH-[A-Z]{3}$/);
    expect(LOCATIONS.find((l) => l.lgu === 'Cebu')?.provincial_code).toBe('PH-CEB');
    expect(LOCATIONS.find((l) => l.lgu === 'Davao del Sur')?.provincial_code).toBe('PH-DAS');
  });

  it('has the tiers of docs/design.md section 4: 11 large, 17 medium, 38 small, 16 poor', () => {
    const count = (tier: string): number => LOCATIONS.filter((l) => l.tier === tier).length;
    expect([count('large'), count('medium'), count('small'), count('poor')]).toEqual([11, 17, 38, 16]);
    const large = LOCATIONS.filter((l) => l.tier === 'large')
      .map((l) => l.lgu)
      .sort();
    expect(large).toEqual(
      [
        'Cebu',
        'Davao del Sur',
        'Iloilo',
        'Cavite',
        'Rizal',
        'Bulacan',
        'Laguna',
        'Batangas',
        'Pampanga',
        'Zamboanga del Sur',
        'Pangasinan',
      ].sort(),
    );
  });

  it('weights tiers 4 / 27 / 25 / 32 / 12 %, split evenly within a tier', () => {
    const w = locationWeights();
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    for (const [tier, share] of Object.entries(TIER_SHARES)) {
      const sum = LOCATIONS.reduce((s, l, i) => s + (l.tier === tier ? w[i]! : 0), 0);
      expect(sum).toBeCloseTo(share, 10);
    }
  });
});
