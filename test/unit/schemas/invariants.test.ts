import { describe, expect, it } from 'vitest';
import { checkOrder, describeViolations, parseScaled, type Violation } from '../../../schemas/invariants.ts';
import type { Order } from '../../../schemas/types.generated.ts';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 14, 2, 0, 0);

function unpaid(): Order {
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
    payment_info: { payment_status: false, payment_method: null, payment_date: null },
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
      },
    ],
    item_variety: 2,
    order_total: '511.11',
    failure: null,
  };
}

function paid(): Order {
  const o = unpaid();
  o.payment_info = { payment_status: true, payment_method: 'BANK_TRANSFER', payment_date: T0 + 2 * H };
  o.shipping_info.eta = T0 + 100 * H;
  return o;
}
function shipped(): Order {
  const o = paid();
  o.shipping_info.order_status = 'SHIPPED';
  o.shipping_info.shipped_date = T0 + 20 * H;
  return o;
}
function delivered(): Order {
  const o = shipped();
  o.shipping_info.order_status = 'DELIVERED';
  o.shipping_info.finished_date = T0 + 90 * H;
  return o;
}
function timedOut(): Order {
  const o = unpaid();
  o.shipping_info.order_status = 'TIMED_OUT';
  o.shipping_info.finished_date = T0 + 7 * 24 * H;
  o.failure = { stage: 'payment', reason: 'payment not received within 7 days', failed_at: T0 + 7 * 24 * H };
  return o;
}
function cancelledAtShipping(): Order {
  const o = paid();
  o.shipping_info.order_status = 'CANCELLED';
  o.shipping_info.finished_date = T0 + 30 * H;
  o.failure = { stage: 'shipping', reason: 'out of stock', failed_at: T0 + 30 * H };
  return o;
}
function cancelledAtDelivery(): Order {
  const o = shipped();
  o.shipping_info.order_status = 'CANCELLED';
  o.shipping_info.finished_date = T0 + 80 * H;
  o.failure = { stage: 'delivery', reason: 'customer refused the parcel', failed_at: T0 + 80 * H };
  return o;
}
function returned(): Order {
  const o = delivered();
  o.shipping_info.order_status = 'RETURNED';
  o.failure = { stage: 'delivery', reason: 'damaged in transit', failed_at: T0 + 90 * H };
  return o;
}

const fields = (v: readonly Violation[]): string[] => v.map((x) => x.field);

describe('checkOrder: valid orders pass', () => {
  it.each([
    ['unpaid PROCESSING', unpaid, 'unpaid'],
    ['paid PROCESSING', paid, 'paid'],
    ['SHIPPED', shipped, 'shipped'],
    ['DELIVERED', delivered, 'finished'],
    ['TIMED_OUT', timedOut, 'failed'],
    ['CANCELLED at shipping', cancelledAtShipping, 'failed'],
    ['CANCELLED at delivery', cancelledAtDelivery, 'failed'],
    ['RETURNED', returned, 'failed'],
  ] as const)('%s', (_name, make, stage) => {
    expect(describeViolations(checkOrder(make()))).toBe('');
    expect(describeViolations(checkOrder(make(), stage))).toBe('');
  });

  it('returns a shared empty list for a valid order (no allocation on the happy path)', () => {
    expect(checkOrder(delivered())).toBe(checkOrder(unpaid()));
  });
});

describe('checkOrder: each corruption is caught, naming the field', () => {
  const cases: [string, () => Order, string][] = [
    [
      'payment before order',
      () => {
        const o = paid();
        o.payment_info.payment_date = T0 - 1;
        return o;
      },
      'payment_info.payment_date',
    ],
    [
      'shipped before payment',
      () => {
        const o = shipped();
        o.shipping_info.shipped_date = T0 + H;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'finished before shipped',
      () => {
        const o = delivered();
        o.shipping_info.finished_date = T0 + 10 * H;
        return o;
      },
      'shipping_info.finished_date',
    ],
    [
      'timed-out finish before order',
      () => {
        const o = timedOut();
        o.shipping_info.finished_date = T0 - H;
        o.failure!.failed_at = T0;
        return o;
      },
      'shipping_info.finished_date',
    ],
    [
      'eta not after payment',
      () => {
        const o = paid();
        o.shipping_info.eta = o.payment_info.payment_date;
        return o;
      },
      'shipping_info.eta',
    ],
    [
      'subtotal off by a centavo',
      () => {
        const o = unpaid();
        o.item_info[0]!.subtotal = '481.96';
        o.order_total = '511.12';
        return o;
      },
      'item_info[0].subtotal',
    ],
    [
      'subtotal rounded the wrong way',
      () => {
        const o = unpaid();
        o.item_info[1]!.subtotal = '29.17';
        o.order_total = '511.12';
        return o;
      },
      'item_info[1].subtotal',
    ],
    [
      'order_total not the sum',
      () => {
        const o = unpaid();
        o.order_total = '511.10';
        return o;
      },
      'order_total',
    ],
    [
      'item_variety not the line count',
      () => {
        const o = unpaid();
        o.item_variety = 3;
        return o;
      },
      'item_variety',
    ],
    [
      'no lines',
      () => {
        const o = unpaid();
        o.item_info = [];
        o.item_variety = 0;
        o.order_total = '0.00';
        return o;
      },
      'item_info',
    ],
    [
      'duplicate SKU',
      () => {
        const o = unpaid();
        o.item_info[1]!.sku = 2;
        return o;
      },
      'item_info[1].sku',
    ],
    [
      'zero quantity',
      () => {
        const o = unpaid();
        o.item_info[0]!.quantity = 0;
        return o;
      },
      'item_info[0].quantity',
    ],
    [
      'discount over 100%',
      () => {
        const o = unpaid();
        o.item_info[0]!.discount_percent = '100.50';
        return o;
      },
      'item_info[0].discount_percent',
    ],
    [
      'malformed money',
      () => {
        const o = unpaid();
        o.order_total = '511.1.1';
        return o;
      },
      'order_total',
    ],
    [
      'unpaid with a payment_date',
      () => {
        const o = unpaid();
        o.payment_info.payment_date = T0 + H;
        return o;
      },
      'payment_info.payment_date',
    ],
    [
      'unpaid with a method',
      () => {
        const o = unpaid();
        o.payment_info.payment_method = 'CREDIT_CARD';
        return o;
      },
      'payment_info.payment_method',
    ],
    [
      'unpaid with an eta',
      () => {
        const o = unpaid();
        o.shipping_info.eta = T0 + 9 * H;
        return o;
      },
      'shipping_info.eta',
    ],
    [
      'PROCESSING with a shipped_date',
      () => {
        const o = paid();
        o.shipping_info.shipped_date = T0 + 9 * H;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'paid without payment_date',
      () => {
        const o = paid();
        o.payment_info.payment_date = null;
        return o;
      },
      'payment_info.payment_date',
    ],
    [
      'paid without method',
      () => {
        const o = paid();
        o.payment_info.payment_method = null;
        return o;
      },
      'payment_info.payment_method',
    ],
    [
      'paid without eta',
      () => {
        const o = paid();
        o.shipping_info.eta = null;
        return o;
      },
      'shipping_info.eta',
    ],
    [
      'SHIPPED without shipped_date',
      () => {
        const o = shipped();
        o.shipping_info.shipped_date = null;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'SHIPPED with finished_date',
      () => {
        const o = shipped();
        o.shipping_info.finished_date = T0 + 99 * H;
        return o;
      },
      'shipping_info.finished_date',
    ],
    [
      'DELIVERED without finished_date',
      () => {
        const o = delivered();
        o.shipping_info.finished_date = null;
        return o;
      },
      'shipping_info.finished_date',
    ],
    [
      'DELIVERED without shipped_date',
      () => {
        const o = delivered();
        o.shipping_info.shipped_date = null;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'DELIVERED unpaid',
      () => {
        const o = delivered();
        o.payment_info.payment_status = false;
        return o;
      },
      'payment_info.payment_status',
    ],
    [
      'TIMED_OUT with a payment_date',
      () => {
        const o = timedOut();
        o.payment_info.payment_date = T0 + H;
        return o;
      },
      'payment_info.payment_date',
    ],
    [
      'TIMED_OUT without finished_date',
      () => {
        const o = timedOut();
        o.shipping_info.finished_date = null;
        return o;
      },
      'shipping_info.finished_date',
    ],
    [
      'TIMED_OUT failing at shipping',
      () => {
        const o = timedOut();
        o.failure!.stage = 'shipping';
        return o;
      },
      'failure.stage',
    ],
    [
      'CANCELLED at shipping but shipped',
      () => {
        const o = cancelledAtShipping();
        o.shipping_info.shipped_date = T0 + 20 * H;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'CANCELLED at shipping without payment',
      () => {
        const o = cancelledAtShipping();
        o.payment_info.payment_date = null;
        return o;
      },
      'payment_info.payment_date',
    ],
    [
      'CANCELLED at delivery never shipped',
      () => {
        const o = cancelledAtDelivery();
        o.shipping_info.shipped_date = null;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'CANCELLED at payment',
      () => {
        const o = cancelledAtShipping();
        o.failure!.stage = 'payment';
        return o;
      },
      'failure.stage',
    ],
    [
      'RETURNED never shipped',
      () => {
        const o = returned();
        o.shipping_info.shipped_date = null;
        return o;
      },
      'shipping_info.shipped_date',
    ],
    [
      'RETURNED failing at shipping',
      () => {
        const o = returned();
        o.failure!.stage = 'shipping';
        return o;
      },
      'failure.stage',
    ],
    [
      'failed status without failure',
      () => {
        const o = returned();
        o.failure = null;
        return o;
      },
      'failure',
    ],
    [
      'DELIVERED carrying a failure',
      () => {
        const o = delivered();
        o.failure = { stage: 'delivery', reason: 'x', failed_at: T0 + 90 * H };
        return o;
      },
      'failure',
    ],
    [
      'failed_at before the order',
      () => {
        const o = returned();
        o.failure!.failed_at = T0 - H;
        return o;
      },
      'failure.failed_at',
    ],
  ];
  it.each(cases)('%s', (_name, make, field) => {
    const violations = checkOrder(make());
    expect(fields(violations)).toContain(field);
    const v = violations.find((x) => x.field === field)!;
    expect(v.message.length).toBeGreaterThan(10);
  });

  it('names both dates in a date-order violation', () => {
    const o = shipped();
    o.shipping_info.shipped_date = T0 + H;
    const [v] = checkOrder(o);
    expect(v!.message).toContain('shipping_info.shipped_date');
    expect(v!.message).toContain('payment_info.payment_date');
    expect(v!.message).toContain(new Date(T0 + H).toISOString());
  });

  it('checks the status against the stage a record is on', () => {
    expect(fields(checkOrder(delivered(), 'shipped'))).toEqual(['shipping_info.order_status']);
    expect(fields(checkOrder(timedOut(), 'finished'))).toEqual(['shipping_info.order_status']);
    expect(fields(checkOrder(paid(), 'unpaid'))).toEqual(['payment_info.payment_status']);
    expect(fields(checkOrder(unpaid(), 'paid'))).toEqual(['payment_info.payment_status']);
  });

  it('reports every violation, not only the first', () => {
    const o = delivered();
    o.item_variety = 9;
    o.order_total = '1.00';
    o.shipping_info.eta = T0;
    expect(fields(checkOrder(o)).sort()).toEqual(['item_variety', 'order_total', 'shipping_info.eta']);
  });
});

describe('subtotal arithmetic', () => {
  it('rounds half away from zero exactly at the half centavo', () => {
    const o = unpaid();
    // 0.05 x 1 x (1 - 0.50) = 0.025 -> 0.03
    o.item_info = [
      {
        sku: 1,
        product_name: 'x',
        category: 'y',
        unit_price: '0.05',
        quantity: 1,
        discount_percent: '50.00',
        subtotal: '0.03',
      },
    ];
    o.item_variety = 1;
    o.order_total = '0.03';
    expect(checkOrder(o)).toEqual([]);
    o.item_info[0]!.subtotal = '0.02';
    o.order_total = '0.02';
    expect(fields(checkOrder(o))).toEqual(['item_info[0].subtotal']);
  });

  it('is exact for amounts too large for float products (falls back to BigInt)', () => {
    const o = unpaid();
    // 9,999,999,999.99 x 1000 x (1 - 0.01%) = 9,998,999,999,990.001 -> ...990.00 (beyond 2^53 in the scaled product)
    o.item_info = [
      {
        sku: 1,
        product_name: 'x',
        category: 'y',
        unit_price: '9999999999.99',
        quantity: 1000,
        discount_percent: '0.01',
        subtotal: '9998999999990.00',
      },
    ];
    o.item_variety = 1;
    o.order_total = '9998999999990.00';
    expect(describeViolations(checkOrder(o))).toBe('');
  });

  it('parseScaled reads fixed-scale decimals and rejects anything else', () => {
    expect(parseScaled('1234.50')).toBe(123450);
    expect(parseScaled('7')).toBe(700);
    expect(parseScaled('0.5')).toBe(50);
    expect(parseScaled('-3.25')).toBe(-325);
    for (const bad of ['', '.5', '5.', '1.234', '1e3', '12a.00', '--1', '1.2.3'])
      expect(parseScaled(bad)).toBeNaN();
  });
});
