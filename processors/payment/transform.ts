import type { Order, PaymentMethod, Tender } from '../../schemas/types.generated.ts';
import { DAY, HOUR, SECOND } from '../event-time.ts';
import { unfitInput, type StageOutcome } from '../outcome.ts';
import { between, chance, type RandomGenerator } from '../rng.ts';
import { windowFor } from '../config-schema.ts';
import type { PaymentConfig } from './config.ts';

const METHODS: PaymentMethod[] = ['CREDIT_CARD', 'BANK_TRANSFER', 'DIGITAL_WALLET'];
const TENDERS: Tender[] = ['CASH', 'DEBIT_CARD', 'CREDIT_CARD', 'DIGITAL_WALLET'];

/**
 * The payment stage: an unpaid order is paid (-> paid_orders) or times out (-> failed_orders).
 *
 * Paid: payment_status true, a payment method, payment_date = order_date or a little later, and
 * the eta computed from payment_date (express or standard window plus some hours).
 * Timed out: order_status TIMED_OUT, finished_date = order_date + timeoutDays, no payment.
 * A store order (channel store) is paid at the till as it is placed and handed over there: tender
 * drawn from the till's shares, payment_date = finished_date = order_date, status DELIVERED, no
 * eta and no shipping: it goes straight to finished_orders (one draw: the tender).
 * Every date derives from the order's own dates (event time); online draws come from `rng` in a
 * fixed order (paid?, method, paid-at-order?, delay, eta days, eta hours).
 */
export function payOrder(order: Order, rng: RandomGenerator, config: PaymentConfig): StageOutcome {
  if (order.payment_info.payment_status || order.payment_info.payment_date !== null) {
    throw unfitInput('payment', order, 'it is already paid');
  }
  if (order.shipping_info.order_status !== 'PROCESSING') {
    throw unfitInput('payment', order, `its status is ${order.shipping_info.order_status}, not PROCESSING`);
  }

  if (order.channel === 'store') return payAtTill(order, pick(chance(rng), TENDERS, config.tenders));

  if (chance(rng) >= config.successRate) {
    const finished = order.order_date + config.timeoutDays * DAY;
    return {
      kind: 'failed',
      order: {
        ...order,
        payment_info: { payment_status: false, payment_method: null, payment_date: null, tender: null },
        shipping_info: {
          ...order.shipping_info,
          order_status: 'TIMED_OUT',
          shipped_date: null,
          eta: null,
          finished_date: finished,
        },
        failure: {
          stage: 'payment',
          reason: `no payment within ${config.timeoutDays} days`,
          failed_at: finished,
        },
      },
    };
  }

  const method = pick(chance(rng), METHODS, config.methods);
  const paidAtOrder = chance(rng) < config.payAtOrderRate;
  const delaySeconds = between(rng, 1, config.maxPaymentDelaySeconds);
  const paymentDate = paidAtOrder ? order.order_date : order.order_date + delaySeconds * SECOND;
  const window = windowFor(config.etaDays, order.shipping_info.express_shipping);
  const etaDays = between(rng, window.min, window.max);
  const etaHours = between(rng, config.etaExtraHours.min, config.etaExtraHours.max);

  return {
    kind: 'next',
    order: {
      ...order,
      payment_info: { payment_status: true, payment_method: method, payment_date: paymentDate, tender: null },
      shipping_info: { ...order.shipping_info, eta: paymentDate + etaDays * DAY + etaHours * HOUR },
    },
  };
}

function payAtTill(order: Order, tender: Tender): StageOutcome {
  if (order.store_id === null) throw unfitInput('payment', order, 'it is a store order without a store_id');
  const ship = order.shipping_info;
  if (
    ship.express_shipping ||
    ship.shipped_date !== null ||
    ship.eta !== null ||
    ship.finished_date !== null
  ) {
    throw unfitInput(
      'payment',
      order,
      'it is a store order with shipping dates or express shipping (a till sale is not shipped)',
    );
  }
  const at = order.order_date;
  return {
    kind: 'finished',
    order: {
      ...order,
      payment_info: { payment_status: true, payment_method: null, payment_date: at, tender },
      shipping_info: {
        ...order.shipping_info,
        express_shipping: false,
        order_status: 'DELIVERED',
        shipped_date: null,
        eta: null,
        finished_date: at,
      },
    },
  };
}

/** The symbol that `u` in [0, 1) falls on, walking `symbols` with their `shares`. */
function pick<T extends string>(u: number, symbols: readonly T[], shares: Readonly<Record<T, number>>): T {
  let acc = 0;
  for (const symbol of symbols) {
    acc += shares[symbol];
    if (u < acc) return symbol;
  }
  return symbols[symbols.length - 1]!;
}
