import { describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import { stageRng } from '../../../processors/rng.ts';
import {
  SHIPPING_DEFAULT,
  SHIPPING_HISTORICAL,
  shippingConfigSchema,
} from '../../../processors/shipping/config.ts';
import { shipOrder } from '../../../processors/shipping/transform.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { dateProblems } from './chain.ts';
import { expectConfigs } from './config-check.ts';
import { HOUR, paidWith, unpaidOrder } from './orders.ts';

const SEED = 777;
const N = 20_000;

/** A paid order (payment forced to succeed), as shipping receives it. */
const paidOrder = (i: number): Order => paidWith(SEED, i);

function ship(order: Order, seed = SEED, config = SHIPPING_DEFAULT) {
  return shipOrder(order, stageRng(seed, 'shipping', order.order_id), config);
}

describe('shipping transform', () => {
  it('has valid default and historical configs', () => {
    expectConfigs(shippingConfigSchema, [SHIPPING_DEFAULT, SHIPPING_HISTORICAL], {
      ...SHIPPING_DEFAULT,
      shipHours: { ...SHIPPING_DEFAULT.shipHours, express: { min: 40, max: 12 } },
    });
  });

  it('ships 95% of paid orders (seed 777, N=20000, tolerance 1 point)', () => {
    let shipped = 0;
    for (let i = 0; i < N; i++) if (ship(paidOrder(i)).kind === 'next') shipped++;
    expect(Math.abs(shipped / N - 0.95)).toBeLessThan(0.01);
  });

  it('sets shipped_date in the express / standard window after payment_date', () => {
    let express = 0;
    for (let i = 0; i < 5000; i++) {
      const paid = paidOrder(i);
      const outcome = ship(paid);
      expect(dateProblems(outcome.order)).toEqual([]);
      if (outcome.kind !== 'next') continue;
      const delay = outcome.order.shipping_info.shipped_date! - paid.payment_info.payment_date!;
      const [min, max] = paid.shipping_info.express_shipping
        ? [12 * HOUR, 36 * HOUR]
        : [24 * HOUR, 60 * HOUR];
      if (paid.shipping_info.express_shipping) express++;
      expect(delay).toBeGreaterThanOrEqual(min);
      expect(delay).toBeLessThanOrEqual(max);
      expect(delay % 1000).toBe(0);
      expect(outcome.order.shipping_info.order_status).toBe('SHIPPED');
      expect(outcome.order.shipping_info.eta).toBe(paid.shipping_info.eta);
    }
    expect(express).toBeGreaterThan(1000);
  });

  it('cancels with finished_date 6-54 h after payment_date and a failure record', () => {
    let seen = 0;
    for (let i = 0; i < 3000; i++) {
      const paid = paidOrder(i);
      const outcome = ship(paid);
      if (outcome.kind !== 'failed') continue;
      seen++;
      const finished = outcome.order.shipping_info.finished_date!;
      const after = finished - paid.payment_info.payment_date!;
      expect(after).toBeGreaterThanOrEqual(6 * HOUR);
      expect(after).toBeLessThanOrEqual(54 * HOUR);
      expect(outcome.order.shipping_info.order_status).toBe('CANCELLED');
      expect(outcome.order.shipping_info.shipped_date).toBeNull();
      expect(outcome.order.failure).toEqual({
        stage: 'shipping',
        reason: 'cancelled before shipping',
        failed_at: finished,
      });
    }
    expect(seen).toBeGreaterThan(50);
  });

  it('is deterministic', () => {
    for (let i = 0; i < 100; i++) expect(ship(paidOrder(i))).toEqual(ship(paidOrder(i)));
  });

  it('rejects an unpaid or already shipped order', () => {
    expect(() => ship(unpaidOrder(1))).toThrow(OrderflowError);
    const shipped = ship(paidOrder(1), SEED, { ...SHIPPING_DEFAULT, successRate: 1 }).order;
    expect(() => ship(shipped)).toThrow(/not PROCESSING/);
  });
});
