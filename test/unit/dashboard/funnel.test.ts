import { describe, expect, it } from 'vitest';
import { FUNNEL_COUNTS, funnelFigures } from '../../../dashboard/queries/funnel.ts';

/** Summed counts as PostgreSQL returns them (numeric as text; null when no day had a row). */
const sums = (v: Partial<Record<string, number>>) =>
  Object.fromEntries(FUNNEL_COUNTS.map((k) => [k, v[k] === undefined ? null : String(v[k])])) as never;

describe('funnel figures from summed counts', () => {
  it("each step's conversion is a share of the step before; cart abandonment leaves open carts out", () => {
    const f = funnelFigures(
      sums({
        visits: 1250,
        carts: 100,
        checkouts: 28,
        paid: 20,
        delivered: 18,
        abandoned: 66,
        open_carts: 6,
        landed_orders: 25,
      }),
    );
    expect(f).toMatchObject({
      visits: 1250,
      carts: 100,
      checkouts: 28,
      paid: 20,
      delivered: 18,
      open: 6,
      landed: 25,
    });
    expect(f.visitToCart).toBe(0.08);
    expect(f.cartToCheckout).toBe(0.28);
    // 66 abandoned of the 94 carts that have ended (6 still open), not of all 100.
    expect(f.cartAbandonment).toBe(0.7021);
    // Payment completion is over the orders that have landed (3 checked-out carts' orders still in flight).
    expect(f.paymentCompletion).toBe(0.8);
    expect(f.checkoutToPaid).toBe(0.8);
    expect(f.paidToDelivered).toBe(0.9);
    expect(f.visitToDelivered).toBe(0.0144);
  });

  it('a rate without a base is null, counts without rows are 0', () => {
    const f = funnelFigures(sums({}));
    expect(f).toMatchObject({ visits: 0, carts: 0, checkouts: 0, paid: 0, delivered: 0, open: 0 });
    for (const k of [
      'visitToCart',
      'cartToCheckout',
      'cartAbandonment',
      'paymentCompletion',
      'paidToDelivered',
    ] as const)
      expect(f[k], k).toBeNull();
    // Every cart still open: no cart has ended, so no abandonment rate yet.
    expect(funnelFigures(sums({ visits: 40, carts: 3, open_carts: 3 })).cartAbandonment).toBeNull();
  });
});
