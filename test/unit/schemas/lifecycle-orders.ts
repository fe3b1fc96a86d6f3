/**
 * One valid order at every point of its life cycle, for the invariant and arithmetic tests: each
 * call returns a fresh copy that a test may corrupt.
 */
import type { Order, Stage } from '../../../schemas/types.generated.ts';

export const H = 3_600_000;
export const T0 = Date.UTC(2025, 2, 14, 2, 0, 0);

/** The payment info of an order not paid (yet, or ever: timed out at payment), a fresh copy each call. */
export function noPayment(): Order['payment_info'] {
  return { payment_status: false, payment_method: null, payment_date: null, tender: null };
}

export function unpaid(): Order {
  return {
    order_id: '01JPA0000000000000000000AA',
    order_date: T0,
    customer_info: {
      customer_id: 'C-TEST-0000001',
      customer_name: 'Maria Santos',
      company: 'Santos Trading',
      email: 'maria.santos@gmail.com',
      street_address: '12 Rizal Street, Brgy. Poblacion',
      lgu: 'Cebu',
      provincial_code: 'PH-CEB',
      contact_number: '0917 123 4567',
    },
    payment_info: noPayment(),
    shipping_info: {
      shipping_id: 'PH-0001-0002-0003-0004',
      express_shipping: true,
      order_status: 'PROCESSING',
      shipped_date: null,
      eta: null,
      finished_date: null,
    },
    item_info: [
      // 189.00 x 3 x 0.85 = 481.95
      {
        sku: 2,
        product_name: 'Coffee',
        category: 'Pantry',
        unit_price: '189.00',
        quantity: 3,
        discount_percent: '15.00',
        subtotal: '481.95',
        vat_rate: null,
        vat_amount: null,
      },
      // 33.33 x 1 x (1 - 0.125) = 29.16375 -> 29.16
      {
        sku: 6,
        product_name: 'Sardines',
        category: 'Pantry',
        unit_price: '33.33',
        quantity: 1,
        discount_percent: '12.50',
        subtotal: '29.16',
        vat_rate: null,
        vat_amount: null,
      },
    ],
    item_variety: 2,
    order_total: '511.11',
    failure: null,
    cart_id: null,
    channel: 'online',
    store_id: null,
    vat_total: null,
  };
}

export function paid(): Order {
  const o = unpaid();
  o.payment_info = {
    payment_status: true,
    payment_method: 'BANK_TRANSFER',
    payment_date: T0 + 2 * H,
    tender: null,
  };
  o.shipping_info.eta = T0 + 100 * H;
  return o;
}
export function shipped(): Order {
  const o = paid();
  o.shipping_info.order_status = 'SHIPPED';
  o.shipping_info.shipped_date = T0 + 20 * H;
  return o;
}
export function delivered(): Order {
  const o = shipped();
  o.shipping_info.order_status = 'DELIVERED';
  o.shipping_info.finished_date = T0 + 90 * H;
  return o;
}
/** `o` failed with `status` at `stage` for `reason`, finished (and failed) at `at`. */
function failedAt(
  o: Order,
  status: Order['shipping_info']['order_status'],
  stage: Stage,
  reason: string,
  at: number,
) {
  o.shipping_info.order_status = status;
  o.shipping_info.finished_date = at;
  o.failure = { stage, reason, failed_at: at };
  return o;
}
export function timedOut(): Order {
  return failedAt(unpaid(), 'TIMED_OUT', 'payment', 'payment not received within 7 days', T0 + 7 * 24 * H);
}
export function cancelledAtShipping(): Order {
  return failedAt(paid(), 'CANCELLED', 'shipping', 'out of stock', T0 + 30 * H);
}
export function cancelledAtDelivery(): Order {
  return failedAt(shipped(), 'CANCELLED', 'delivery', 'customer refused the parcel', T0 + 80 * H);
}
export function returned(): Order {
  const o = delivered();
  o.shipping_info.order_status = 'RETURNED';
  o.failure = { stage: 'delivery', reason: 'damaged in transit', failed_at: T0 + 90 * H };
  return o;
}
