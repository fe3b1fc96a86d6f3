import { describe, expect, it } from 'vitest';
import { OrderflowError } from '../../../common/errors.ts';
import {
  DELIVERY_DEFAULT,
  DELIVERY_HISTORICAL,
  deliveryConfigSchema,
} from '../../../processors/delivery/config.ts';
import { deliverOrder } from '../../../processors/delivery/transform.ts';
import { stageRng } from '../../../processors/rng.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { dateProblems } from './chain.ts';
import { expectConfigs } from './config-check.ts';
import { DAY, HOUR, shippedWith, unpaidOrder } from './orders.ts';

const SEED = 4242;
const N = 40_000;

/** A shipped order (payment and shipping forced to succeed), as delivery receives it. */
const shippedOrder = (i: number): Order => shippedWith(SEED, i);

function deliver(order: Order, config = DELIVERY_DEFAULT) {
  return deliverOrder(order, stageRng(SEED, 'delivery', order.order_id), config);
}

describe('delivery transform', () => {
  it('has valid default and historical configs', () => {
    expectConfigs(deliveryConfigSchema, [DELIVERY_DEFAULT, DELIVERY_HISTORICAL], {
      ...DELIVERY_DEFAULT,
      cancelledRate: 0.7,
      returnedRate: 0.5,
    });
  });

  it('delivers 95%, cancels 3.5% and returns 1.5% (seed 4242, N=40000, tolerance 0.6 points)', () => {
    const counts = { DELIVERED: 0, CANCELLED: 0, RETURNED: 0 } as Record<string, number>;
    for (let i = 0; i < N; i++) counts[deliver(shippedOrder(i)).order.shipping_info.order_status]!++;
    expect(Math.abs(counts.DELIVERED! / N - 0.95)).toBeLessThan(0.006);
    expect(Math.abs(counts.CANCELLED! / N - 0.035)).toBeLessThan(0.006);
    expect(Math.abs(counts.RETURNED! / N - 0.015)).toBeLessThan(0.006);
  });

  it('finishes delivered orders between eta - 48 h and eta + 36 h, never before shipped_date', () => {
    for (let i = 0; i < 5000; i++) {
      const shipped = shippedOrder(i);
      const outcome = deliver(shipped);
      const o = outcome.order;
      expect(dateProblems(o)).toEqual([]);
      const { eta, shipped_date: shippedAt, finished_date: finished } = o.shipping_info;
      expect(finished!).toBeGreaterThanOrEqual(shippedAt!);
      if (outcome.kind === 'next') {
        expect(o.shipping_info.order_status).toBe('DELIVERED');
        expect(o.failure).toBeNull();
        expect(finished! >= eta! - 48 * HOUR || finished === shippedAt).toBe(true);
        expect(finished!).toBeLessThanOrEqual(Math.max(eta! + 36 * HOUR, shippedAt!));
      } else if (o.shipping_info.order_status === 'RETURNED') {
        expect(finished! - eta!).toBeGreaterThanOrEqual(-48 * HOUR + DAY);
        expect(finished! - eta!).toBeLessThanOrEqual(36 * HOUR + 7 * DAY);
        expect(o.failure).toEqual({
          stage: 'delivery',
          reason: 'returned after delivery',
          failed_at: finished,
        });
      } else {
        expect(o.shipping_info.order_status).toBe('CANCELLED');
        expect(finished!).toBeLessThanOrEqual(Math.max(eta!, shippedAt!));
        expect(o.failure).toEqual({ stage: 'delivery', reason: 'cancelled in transit', failed_at: finished });
      }
    }
  });

  it('clamps a delivery date that would fall before shipped_date', () => {
    // Shipped 10 h before the eta: most draws in eta-48h..eta+36h lie before shipped_date.
    const base = shippedOrder(11);
    const eta = base.shipping_info.eta!;
    let clamped = 0;
    for (let i = 0; i < 400; i++) {
      const order: Order = {
        ...base,
        order_id: `clamp-${i}`,
        shipping_info: { ...base.shipping_info, shipped_date: eta - 10 * HOUR },
      };
      const outcome = deliver(order, { ...DELIVERY_DEFAULT, cancelledRate: 0, returnedRate: 0 });
      expect(outcome.order.shipping_info.finished_date!).toBeGreaterThanOrEqual(eta - 10 * HOUR);
      if (outcome.order.shipping_info.finished_date === eta - 10 * HOUR) clamped++;
    }
    expect(clamped).toBeGreaterThan(100);
  });

  it('is deterministic', () => {
    for (let i = 0; i < 100; i++) expect(deliver(shippedOrder(i))).toEqual(deliver(shippedOrder(i)));
  });

  it('rejects an order that is not shipped', () => {
    expect(() => deliver(unpaidOrder(2))).toThrow(OrderflowError);
  });
});
