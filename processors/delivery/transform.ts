import type { Order } from '../../schemas/types.generated.ts';
import { SECOND } from '../event-time.ts';
import { unfitInput, type StageOutcome } from '../outcome.ts';
import { between, chance, type RandomGenerator } from '../rng.ts';
import type { DeliveryConfig } from './config.ts';

/**
 * The delivery stage: a shipped order is delivered (-> finished_orders), or cancelled in transit or
 * returned (-> failed_orders).
 *
 * The delivery date is eta + an offset in deliveryHoursFromEta (to the second), never before
 * shipped_date. Delivered: finished_date = that date. Returned: finished_date = the delivery date +
 * returnDays (to the second). Cancelled in transit: finished_date uniform between shipped_date and
 * the eta (or shipped_date when the eta is not later). Draws from `rng` in a fixed order
 * (outcome, delivery offset, return or cancel offset).
 */
export function deliverOrder(order: Order, rng: RandomGenerator, config: DeliveryConfig): StageOutcome {
  const { shipped_date: shipped, eta } = order.shipping_info;
  if (order.shipping_info.order_status !== 'SHIPPED' || shipped === null || eta === null) {
    throw unfitInput('delivery', order, `it is not shipped (status ${order.shipping_info.order_status})`);
  }

  const u = chance(rng);
  const offset = between(rng, config.deliveryHoursFromEta.min * 3600, config.deliveryHoursFromEta.max * 3600);
  const delivered = Math.max(shipped, eta + offset * SECOND);

  if (u < config.cancelledRate) {
    const finished = shipped + between(rng, 0, Math.max(0, Math.floor((eta - shipped) / SECOND))) * SECOND;
    return failed(order, 'CANCELLED', finished, 'cancelled in transit');
  }
  if (u < config.cancelledRate + config.returnedRate) {
    const seconds = between(rng, config.returnDays.min * 86400, config.returnDays.max * 86400);
    return failed(order, 'RETURNED', delivered + seconds * SECOND, 'returned after delivery');
  }
  return {
    kind: 'next',
    order: {
      ...order,
      shipping_info: { ...order.shipping_info, order_status: 'DELIVERED', finished_date: delivered },
    },
  };
}

function failed(
  order: Order,
  status: 'CANCELLED' | 'RETURNED',
  finished: number,
  reason: string,
): StageOutcome {
  return {
    kind: 'failed',
    order: {
      ...order,
      shipping_info: { ...order.shipping_info, order_status: status, finished_date: finished },
      failure: { stage: 'delivery', reason, failed_at: finished },
    },
  };
}
