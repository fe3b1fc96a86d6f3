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

/** A case that sets one field (a path: `shipping_info.eta`, `item_info[0].sku`); its violation names it. */
function corruptField(
  name: string,
  make: () => Order,
  field: string,
  value: unknown,
): [string, () => Order, string] {
  return corrupt(name, make, field, (o) => {
    const keys = field.split(/[.[\]]+/).filter(Boolean);
    const last = keys.pop()!;
    let at = o as unknown as Record<string, unknown>;
    for (const key of keys) at = at[key] as Record<string, unknown>;
    at[last] = value;
  });
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
    corruptField('payment before order', paid, 'payment_info.payment_date', T0 - 1),
    corruptField('shipped before payment', shipped, 'shipping_info.shipped_date', T0 + H),
    corruptField('finished before shipped', delivered, 'shipping_info.finished_date', T0 + 10 * H),
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
    corruptField('order_total not the sum', unpaid, 'order_total', '511.10'),
    corruptField('item_variety not the line count', unpaid, 'item_variety', 3),
    corrupt('no lines', unpaid, 'item_info', (o) => {
      o.item_info = [];
      o.item_variety = 0;
      o.order_total = '0.00';
    }),
    corruptField('duplicate SKU', unpaid, 'item_info[1].sku', 2),
    corruptField('zero quantity', unpaid, 'item_info[0].quantity', 0),
    corruptField('discount over 100%', unpaid, 'item_info[0].discount_percent', '100.50'),
    corruptField('malformed money', unpaid, 'order_total', '511.1.1'),
    corruptField('unpaid with a payment_date', unpaid, 'payment_info.payment_date', T0 + H),
    corruptField('unpaid with a method', unpaid, 'payment_info.payment_method', 'CREDIT_CARD'),
    corruptField('unpaid with an eta', unpaid, 'shipping_info.eta', T0 + 9 * H),
    corruptField('PROCESSING with a shipped_date', paid, 'shipping_info.shipped_date', T0 + 9 * H),
    corruptField('paid without payment_date', paid, 'payment_info.payment_date', null),
    corruptField('paid without method', paid, 'payment_info.payment_method', null),
    corruptField('paid without eta', paid, 'shipping_info.eta', null),
    corruptField('SHIPPED without shipped_date', shipped, 'shipping_info.shipped_date', null),
    corruptField('SHIPPED with finished_date', shipped, 'shipping_info.finished_date', T0 + 99 * H),
    corruptField('DELIVERED without finished_date', delivered, 'shipping_info.finished_date', null),
    corruptField('DELIVERED without shipped_date', delivered, 'shipping_info.shipped_date', null),
    corruptField('DELIVERED unpaid', delivered, 'payment_info.payment_status', false),
    corruptField('TIMED_OUT with a payment_date', timedOut, 'payment_info.payment_date', T0 + H),
    corruptField('TIMED_OUT without finished_date', timedOut, 'shipping_info.finished_date', null),
    corruptField('TIMED_OUT failing at shipping', timedOut, 'failure.stage', 'shipping'),
    corruptField(
      'CANCELLED at shipping but shipped',
      cancelledAtShipping,
      'shipping_info.shipped_date',
      T0 + 20 * H,
    ),
    corruptField(
      'CANCELLED at shipping without payment',
      cancelledAtShipping,
      'payment_info.payment_date',
      null,
    ),
    corruptField(
      'CANCELLED at delivery never shipped',
      cancelledAtDelivery,
      'shipping_info.shipped_date',
      null,
    ),
    corruptField('CANCELLED at payment', cancelledAtShipping, 'failure.stage', 'payment'),
    corruptField('RETURNED never shipped', returned, 'shipping_info.shipped_date', null),
    corruptField('RETURNED failing at shipping', returned, 'failure.stage', 'shipping'),
    corruptField('failed status without failure', returned, 'failure', null),
    corruptField('DELIVERED carrying a failure', delivered, 'failure', {
      stage: 'delivery',
      reason: 'x',
      failed_at: T0 + 90 * H,
    }),
    corruptField('failed_at before the order', returned, 'failure.failed_at', T0 - H),
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
    corruptField('a store order without a store', tillSale, 'store_id', null),
    corruptField('an unknown store', tillSale, 'store_id', 'ST-XX-09'),
    corruptField('a store order with a cart', tillSale, 'cart_id', '01JPA0000000000000000000CC'),
    corrupt('a store order with shipping dates', tillSale, 'shipping_info.shipped_date', (o) => {
      o.shipping_info.shipped_date = o.order_date;
    }),
    corrupt('a store order with an eta', tillSale, 'shipping_info.eta', (o) => {
      o.shipping_info.eta = o.order_date + H;
    }),
    corruptField('express at a till', tillSale, 'shipping_info.express_shipping', true),
    corruptField(
      'an online payment method at a till',
      tillSale,
      'payment_info.payment_method',
      'CREDIT_CARD',
    ),
    corruptField('a paid store order without a tender', tillSale, 'payment_info.tender', null),
    corrupt('finished later than paid', tillSale, 'shipping_info.finished_date', (o) => {
      o.shipping_info.finished_date = o.order_date + H;
    }),
    corruptField('a tender online', delivered, 'payment_info.tender', 'CASH'),
    corruptField('a store online', delivered, 'store_id', 'ST-00-01'),
    corruptField('a line whose VAT is not its rate', tillSale, 'item_info[0].vat_amount', '0.01'),
    corruptField('a vat_total that is not the sum', tillSale, 'vat_total', '0.00'),
    corruptField('a rate above 100%', tillSale, 'item_info[0].vat_rate', '112.00'),
    corruptField('VAT on a line of an order without vat_total', delivered, 'item_info[0].vat_amount', '1.00'),
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
