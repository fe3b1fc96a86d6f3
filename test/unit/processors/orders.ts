import { fromCents } from '../../../common/money.ts';
import { assembleOrder } from '../../../common/new-order.ts';
import { PAYMENT_DEFAULT } from '../../../processors/payment/config.ts';
import { payOrder } from '../../../processors/payment/transform.ts';
import { stageRng } from '../../../processors/rng.ts';
import { SHIPPING_DEFAULT } from '../../../processors/shipping/config.ts';
import { shipOrder } from '../../../processors/shipping/transform.ts';
import type { CatalogueEntry } from '../../../reference/catalogue.ts';
import type { Order } from '../../../schemas/types.generated.ts';

/** Time units of the stage tests' expectations (written out, not taken from the code under test). */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Simple valid unpaid orders for stage tests (the generator's own model is tested elsewhere),
 * assembled as the generator and the order API assemble theirs: order i is placed at 2025-01-01 +
 * i hours 7 minutes, express every 5th in 2.
 */
export function unpaidOrder(i: number, prefix = 'T', channel: 'online' | 'store' = 'online'): Order {
  const lines = [
    { sku: 1 + (i % 20), unit: 12550, qty: 1 + (i % 3), pct: 0 },
    { sku: 30 + (i % 10), unit: 150000, qty: 1, pct: 1250 },
  ];
  return assembleOrder({
    orderId: `${prefix}${String(i).padStart(8, '0')}`,
    orderDate: Date.UTC(2025, 0, 1) + i * 3_600_000 + 7 * 60_000,
    customer: {
      customer_id: `C${i % 97}`,
      customer_name: 'Juan Dela Cruz',
      company: 'Acme',
      email: 'juan@example.ph',
      street_address: '1 Rizal St',
      lgu: 'Cebu',
      provincial_code: 'PH-CEB',
      contact_number: '+63 912 345 6789',
    },
    lines: lines.map((l) => ({ product: testProduct(l.sku, l.unit), quantity: l.qty })),
    discounts: new Map(lines.map((l) => [l.sku, l.pct] as const)),
    shippingId: `S${i}`,
    express: channel === 'online' && i % 5 < 2,
    channel,
    storeId: channel === 'store' ? 'ST-CEB-01' : null,
  });
}

/** A catalogue entry for a stage test: named after its SKU, costing nothing (the stages never read cost). */
function testProduct(sku: number, priceCents: number): CatalogueEntry {
  const price = fromCents(priceCents);
  return {
    sku,
    name: `Product ${sku}`,
    category: 'Test',
    price,
    priceCents,
    cost: '0.00',
    costCents: 0,
    popularity: 1,
    companions: [],
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
