import type { Order } from '../../schemas/types.generated.ts';
import { SECOND } from '../event-time.ts';
import { unfitInput, type StageOutcome } from '../outcome.ts';
import { between, chance, type RandomGenerator } from '../rng.ts';
import { windowFor } from '../config-schema.ts';
import type { ShippingConfig } from './config.ts';

/**
 * The shipping stage: a paid order ships (-> shipped_orders) or is cancelled (-> failed_orders).
 *
 * Shipped: order_status SHIPPED, shipped_date = payment_date + an express or standard window
 * (uniform to the second). Cancelled: order_status CANCELLED, finished_date = payment_date + the
 * cancel window. Draws from `rng` in a fixed order (ships?, offset).
 */
export function shipOrder(order: Order, rng: RandomGenerator, config: ShippingConfig): StageOutcome {
  const paymentDate = order.payment_info.payment_date;
  if (!order.payment_info.payment_status || paymentDate === null) {
    throw unfitInput('shipping', order, 'it has no payment');
  }
  if (order.shipping_info.order_status !== 'PROCESSING') {
    throw unfitInput('shipping', order, `its status is ${order.shipping_info.order_status}, not PROCESSING`);
  }

  if (chance(rng) >= config.successRate) {
    const finished =
      paymentDate + between(rng, config.cancelHours.min * 3600, config.cancelHours.max * 3600) * SECOND;
    return {
      kind: 'failed',
      order: {
        ...order,
        shipping_info: {
          ...order.shipping_info,
          order_status: 'CANCELLED',
          shipped_date: null,
          finished_date: finished,
        },
        failure: { stage: 'shipping', reason: 'cancelled before shipping', failed_at: finished },
      },
    };
  }

  const window = windowFor(config.shipHours, order.shipping_info.express_shipping);
  const shipped = paymentDate + between(rng, window.min * 3600, window.max * 3600) * SECOND;
  return {
    kind: 'next',
    order: {
      ...order,
      shipping_info: { ...order.shipping_info, order_status: 'SHIPPED', shipped_date: shipped },
    },
  };
}
