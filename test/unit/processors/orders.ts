import { fromCents, subtotalCents } from '../../../common/money.ts';
import { PAYMENT_DEFAULT } from '../../../processors/payment/config.ts';
import { payOrder } from '../../../processors/payment/transform.ts';
import { stageRng } from '../../../processors/rng.ts';
import { SHIPPING_DEFAULT } from '../../../processors/shipping/config.ts';
import { shipOrder } from '../../../processors/shipping/transform.ts';
import type { Order } from '../../../schemas/types.generated.ts';

/**
 * Simple valid unpaid orders for stage tests (the generator's own model is tested elsewhere):
 * order i is placed at 2025-01-01 + i hours 7 minutes, express every 5th in 2.
 */
export function unpaidOrder(i: number, prefix = 'T'): Order {
  const lines = [
    { sku: 1 + (i % 20), unit: 12550, qty: 1 + (i % 3), pct: 0 },
    { sku: 30 + (i % 10), unit: 150000, qty: 1, pct: 1250 },
  ];
  const items = lines.map((l) => ({
    sku: l.sku,
    product_name: `Product ${l.sku}`,
    category: 'Test',
    unit_price: fromCents(l.unit),
    quantity: l.qty,
    discount_percent: fromCents(l.pct),
    subtotal: fromCents(subtotalCents(l.unit, l.qty, l.pct)),
  }));
  const total = lines.reduce((sum, l) => sum + subtotalCents(l.unit, l.qty, l.pct), 0);
  return {
    order_id: `${prefix}${String(i).padStart(8, '0')}`,
    order_date: Date.UTC(2025, 0, 1) + i * 3_600_000 + 7 * 60_000,
    customer_info: {
      customer_id: `C${i % 97}`,
      customer_name: 'Juan Dela Cruz',
      company: 'Acme',
      email: 'juan@example.ph',
      street_address: '1 Rizal St',
      lgu: 'Cebu',
      provincial_code: 'PH-CEB',
      contact_number: '+63 912 345 6789',
    },
    payment_info: { payment_status: false, payment_method: null, payment_date: null },
    shipping_info: {
      shipping_id: `S${i}`,
      express_shipping: i % 5 < 2,
      order_status: 'PROCESSING',
      shipped_date: null,
      eta: null,
      finished_date: null,
    },
    item_info: items,
    item_variety: items.length,
    order_total: fromCents(total),
    failure: null,
    cart_id: null,
  };
}

/** Order i paid (payment forced to succeed) with the `seed`'s draws, as shipping receives it. */
export function paidWith(seed: number, i: number): Order {
  const order = unpaidOrder(i);
  return payOrder(order, stageRng(seed, 'payment', order.order_id), { ...PAYMENT_DEFAULT, successRate: 1 })
    .order;
}

/** Order i paid and shipped (both forced to succeed) with the `seed`'s draws, as delivery receives it. */
export function shippedWith(seed: number, i: number): Order {
  const paid = paidWith(seed, i);
  return shipOrder(paid, stageRng(seed, 'shipping', paid.order_id), { ...SHIPPING_DEFAULT, successRate: 1 })
    .order;
}
