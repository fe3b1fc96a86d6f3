import { describe, expect, it } from 'vitest';
import { checkOrder, describeViolations, type Violation } from '../../../schemas/invariants.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import {
  cancelledAtDelivery,
  cancelledAtShipping,
  delivered,
  H,
  noPayment,
  paid,
  returned,
  shipped,
  T0,
  timedOut,
  unpaid,
} from './lifecycle-orders.ts';

const fields = (v: readonly Violation[]): string[] => v.map((x) => x.field);

/** A case: `make()`'s order changed by `change`, and the field its violation must name. */
function corrupt(
  name: string,
  make: () => Order,
  field: string,
  change: (o: Order) => void,
): [string, () => Order, string] {
  const corrupted = (): Order => {
    const o = make();
    change(o);
    return o;
  };
  return [name, corrupted, field];
}

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
    corrupt('payment before order', paid, 'payment_info.payment_date', (o) => {
      o.payment_info.payment_date = T0 - 1;
    }),
    corrupt('shipped before payment', shipped, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = T0 + H;
    }),
    corrupt('finished before shipped', delivered, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = T0 + 10 * H;
    }),
    corrupt('timed-out finish before order', timedOut, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = T0 - H;
      o.failure!.failed_at = T0;
    }),
    corrupt('eta not after payment', paid, 'shipping_info.eta', (o) => {
      o.shipping_info.eta = o.payment_info.payment_date;
    }),
    corrupt('subtotal off by a centavo', unpaid, 'item_info[0].subtotal', (o) => {
      o.item_info[0]!.subtotal = '481.96';
      o.order_total = '511.12';
    }),
    corrupt('subtotal rounded the wrong way', unpaid, 'item_info[1].subtotal', (o) => {
      o.item_info[1]!.subtotal = '29.17';
      o.order_total = '511.12';
    }),
    corrupt('order_total not the sum', unpaid, 'order_total', (o) => {
      o.order_total = '511.10';
    }),
    corrupt('item_variety not the line count', unpaid, 'item_variety', (o) => {
      o.item_variety = 3;
    }),
    corrupt('no lines', unpaid, 'item_info', (o) => {
      o.item_info = [];
      o.item_variety = 0;
      o.order_total = '0.00';
    }),
    corrupt('duplicate SKU', unpaid, 'item_info[1].sku', (o) => {
      o.item_info[1]!.sku = 2;
    }),
    corrupt('zero quantity', unpaid, 'item_info[0].quantity', (o) => {
      o.item_info[0]!.quantity = 0;
    }),
    corrupt('discount over 100%', unpaid, 'item_info[0].discount_percent', (o) => {
      o.item_info[0]!.discount_percent = '100.50';
    }),
    corrupt('malformed money', unpaid, 'order_total', (o) => {
      o.order_total = '511.1.1';
    }),
    corrupt('unpaid with a payment_date', unpaid, 'payment_info.payment_date', (o) => {
      o.payment_info.payment_date = T0 + H;
    }),
    corrupt('unpaid with a method', unpaid, 'payment_info.payment_method', (o) => {
      o.payment_info.payment_method = 'CREDIT_CARD';
    }),
    corrupt('unpaid with an eta', unpaid, 'shipping_info.eta', (o) => {
      o.shipping_info.eta = T0 + 9 * H;
    }),
    corrupt('PROCESSING with a shipped_date', paid, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = T0 + 9 * H;
    }),
    corrupt('paid without payment_date', paid, 'payment_info.payment_date', (o) => {
      o.payment_info.payment_date = null;
    }),
    corrupt('paid without method', paid, 'payment_info.payment_method', (o) => {
      o.payment_info.payment_method = null;
    }),
    corrupt('paid without eta', paid, 'shipping_info.eta', (o) => {
      o.shipping_info.eta = null;
    }),
    corrupt('SHIPPED without shipped_date', shipped, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = null;
    }),
    corrupt('SHIPPED with finished_date', shipped, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = T0 + 99 * H;
    }),
    corrupt('DELIVERED without finished_date', delivered, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = null;
    }),
    corrupt('DELIVERED without shipped_date', delivered, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = null;
    }),
    corrupt('DELIVERED unpaid', delivered, 'payment_info.payment_status', (o) => {
      o.payment_info.payment_status = false;
    }),
    corrupt('TIMED_OUT with a payment_date', timedOut, 'payment_info.payment_date', (o) => {
      o.payment_info.payment_date = T0 + H;
    }),
    corrupt('TIMED_OUT without finished_date', timedOut, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = null;
    }),
    corrupt('TIMED_OUT failing at shipping', timedOut, 'failure.stage', (o) => {
      o.failure!.stage = 'shipping';
    }),
    corrupt('CANCELLED at shipping but shipped', cancelledAtShipping, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = T0 + 20 * H;
    }),
    corrupt(
      'CANCELLED at shipping without payment',
      cancelledAtShipping,
      'payment_info.payment_date',
      (o) => {
        o.payment_info.payment_date = null;
      },
    ),
    corrupt('CANCELLED at delivery never shipped', cancelledAtDelivery, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = null;
    }),
    corrupt('CANCELLED at payment', cancelledAtShipping, 'failure.stage', (o) => {
      o.failure!.stage = 'payment';
    }),
    corrupt('RETURNED never shipped', returned, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = null;
    }),
    corrupt('RETURNED failing at shipping', returned, 'failure.stage', (o) => {
      o.failure!.stage = 'shipping';
    }),
    corrupt('failed status without failure', returned, 'failure', (o) => {
      o.failure = null;
    }),
    corrupt('DELIVERED carrying a failure', delivered, 'failure', (o) => {
      o.failure = { stage: 'delivery', reason: 'x', failed_at: T0 + 90 * H };
    }),
    corrupt('failed_at before the order', returned, 'failure.failed_at', (o) => {
      o.failure!.failed_at = T0 - H;
    }),
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

describe('checkOrder: store orders and VAT (schema 0.4.0)', () => {
  /** A VAT-carrying store order as the payment stage finishes it at the till. */
  function tillSale(): Order {
    const o = unpaid();
    o.channel = 'store';
    o.store_id = 'ST-00-01';
    o.cart_id = null;
    o.shipping_info.express_shipping = false;
    o.payment_info = {
      payment_status: true,
      payment_method: null,
      payment_date: o.order_date,
      tender: 'CASH',
    };
    o.shipping_info.order_status = 'DELIVERED';
    o.shipping_info.finished_date = o.order_date;
    withVat(o, '12.00');
    return o;
  }

  /** Every line at `rate`, its VAT and the total computed by hand: subtotal x rate / (100 + rate). */
  function withVat(o: Order, rate: string): void {
    let total = 0;
    for (const item of o.item_info) {
      const cents = Math.round(Number(item.subtotal) * 100);
      const vat = Math.round((cents * Number(rate)) / (100 + Number(rate)));
      item.vat_rate = rate;
      item.vat_amount = (vat / 100).toFixed(2);
      total += vat;
    }
    o.vat_total = (total / 100).toFixed(2);
  }

  it('a finished till sale and an unpaid store order pass on their topics', () => {
    expect(describeViolations(checkOrder(tillSale(), 'finished'))).toBe('');
    const entering = tillSale();
    entering.payment_info = noPayment();
    entering.shipping_info.order_status = 'PROCESSING';
    entering.shipping_info.finished_date = null;
    expect(describeViolations(checkOrder(entering, 'unpaid'))).toBe('');
  });

  it.each([
    corrupt('a store order without a store', tillSale, 'store_id', (o) => (o.store_id = null)),
    corrupt('an unknown store', tillSale, 'store_id', (o) => (o.store_id = 'ST-XX-09')),
    corrupt(
      'a store order with a cart',
      tillSale,
      'cart_id',
      (o) => (o.cart_id = '01JPA0000000000000000000CC'),
    ),
    corrupt('a store order with shipping dates', tillSale, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = o.order_date;
    }),
    corrupt('a store order with an eta', tillSale, 'shipping_info.eta', (o) => {
      o.shipping_info.eta = o.order_date + H;
    }),
    corrupt('express at a till', tillSale, 'shipping_info.express_shipping', (o) => {
      o.shipping_info.express_shipping = true;
    }),
    corrupt('an online payment method at a till', tillSale, 'payment_info.payment_method', (o) => {
      o.payment_info.payment_method = 'CREDIT_CARD';
    }),
    corrupt('a paid store order without a tender', tillSale, 'payment_info.tender', (o) => {
      o.payment_info.tender = null;
    }),
    corrupt('finished later than paid', tillSale, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = o.order_date + H;
    }),
    corrupt('a tender online', delivered, 'payment_info.tender', (o) => (o.payment_info.tender = 'CASH')),
    corrupt('a store online', delivered, 'store_id', (o) => (o.store_id = 'ST-00-01')),
    corrupt('a line whose VAT is not its rate', tillSale, 'item_info[0].vat_amount', (o) => {
      o.item_info[0]!.vat_amount = '0.01';
    }),
    corrupt('a vat_total that is not the sum', tillSale, 'vat_total', (o) => (o.vat_total = '0.00')),
    corrupt(
      'a rate above 100%',
      tillSale,
      'item_info[0].vat_rate',
      (o) => (o.item_info[0]!.vat_rate = '112.00'),
    ),
    corrupt('VAT on a line of an order without vat_total', delivered, 'item_info[0].vat_amount', (o) => {
      o.item_info[0]!.vat_amount = '1.00';
    }),
  ])('catches %s, naming %s', (_name, make, field) => {
    const violations = checkOrder(make());
    expect(fields(violations)).toContain(field);
  });

  it('keeps a store order off the paid and shipped topics', () => {
    const o = tillSale();
    o.shipping_info.order_status = 'PROCESSING';
    o.shipping_info.finished_date = null;
    expect(fields(checkOrder(o, 'paid'))).toContain('channel');
  });
});
