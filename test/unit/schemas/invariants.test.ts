import { describe, expect, it } from 'vitest';
import { checkOrder, describeViolations, type Violation } from '../../../schemas/invariants.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import {
  cancelledAtDelivery,
  cancelledAtShipping,
  delivered,
  H,
  paid,
  returned,
  shipped,
  T0,
  timedOut,
  unpaid,
} from './lifecycle-orders.ts';

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
