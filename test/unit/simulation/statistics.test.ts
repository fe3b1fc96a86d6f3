/**
 * The generated stream against the figures in docs/design.md section 4, over a 24-month backfill
 * (2024-11-21 to 2026-11-21, seed 7). Tolerances are stated per figure; they allow for the
 * random walk of the volume adjuster and for top customers concentrating orders.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { summarise } from '../../../simulation/model/statistics.ts';
import { localDay } from '../../../reference/calendar.ts';
import { isOpen, storeById } from '../../../reference/stores.ts';

const config = makeConfig({ seed: 7, from: Date.UTC(2024, 10, 21), until: Date.UTC(2026, 10, 21) });
const orders = [...generateOrders(config, { now: () => Date.UTC(2026, 10, 21) })];
const s = summarise(orders, config);

describe('24-month backfill statistics (seed 7)', () => {
  it('~11 orders/day at the start (first 30 whole days, 9-13), growing (last 30 days above the first)', () => {
    expect(s.perDayFirst30).toBeGreaterThan(9);
    expect(s.perDayFirst30).toBeLessThan(13);
    expect(s.perDayLast30).toBeGreaterThan(s.perDayFirst30 * 1.1);
  });

  it('payday days ~2.5x an ordinary day (2.1-2.9)', () => {
    expect(s.paydayRatio).toBeGreaterThan(2.1);
    expect(s.paydayRatio).toBeLessThan(2.9);
  });

  it('month-end days 3-6x an ordinary day', () => {
    expect(s.monthEndRatio).toBeGreaterThan(3);
    expect(s.monthEndRatio).toBeLessThan(6);
  });

  it('repeat-customer rate by true identity 22% +- 3 (customers with 2+ orders / customers)', () => {
    expect(Math.abs(s.repeatCustomerRate - 0.22)).toBeLessThan(0.03);
  });

  it('location tiers 4 / 27 / 25 / 32 / 12 % (each +- 3 points)', () => {
    const target = { metro_manila: 0.04, large: 0.27, medium: 0.25, small: 0.32, poor: 0.12 };
    for (const [tier, share] of Object.entries(target)) {
      expect(Math.abs(s.tierShares[tier as keyof typeof target] - share)).toBeLessThan(0.03);
    }
  });

  it('express shipping 40% +- 2 of online orders', () => {
    expect(Math.abs(s.expressShare - 0.4)).toBeLessThan(0.02);
  });

  it('store orders 8% +- 1.5 of all, each while its store is open, 80%+ by customers of its province', () => {
    expect(Math.abs(s.storeShare - 0.08)).toBeLessThan(0.015);
    const store = orders.filter((o) => o.channel === 'store');
    let local = 0;
    for (const o of store) {
      const at = storeById(o.store_id!)!;
      expect(isOpen(at, localDay(o.order_date, config).hour)).toBe(true);
      expect(o.cart_id).toBeNull();
      if (at.provincial_code === o.customer_info.provincial_code) local++;
    }
    expect(local / store.length).toBeGreaterThan(0.8);
    expect(new Set(store.map((o) => o.store_id)).size).toBe(14);
  });

  it('VAT is about 9% of sales (12% of the taxable ones: Pantry is exempt), and every online order has a cart', () => {
    let vat = 0;
    let sales = 0;
    for (const o of orders) {
      vat += Number(o.vat_total);
      sales += Number(o.order_total);
      if (o.channel === 'online') expect(o.cart_id).not.toBeNull();
    }
    expect(vat / sales).toBeGreaterThan(0.085);
    expect(vat / sales).toBeLessThan(0.1072); // 12/112: the share if nothing were exempt
  });

  it('mean basket ~2.9 lines (+- 0.1)', () => {
    expect(Math.abs(s.meanLines - 2.9)).toBeLessThan(0.1);
  });

  it('repeat customers leave address/email history for SCD type 2', () => {
    expect(s.customersWithHistory).toBeGreaterThan(50);
  });

  it('covers the whole window', () => {
    expect(s.days).toBeGreaterThanOrEqual(730);
    expect(s.orders).toBeGreaterThan(7000);
  });
});
