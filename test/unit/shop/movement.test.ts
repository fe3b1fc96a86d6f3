import { describe, expect, it } from 'vitest';
import { eventTime, orderLines, split, stockEvent } from '../../../stock/movement.ts';
import type { Order } from '../../../schemas/types.generated.ts';

const order = (over: Partial<Order> & { status?: Order['shipping_info']['order_status'] }): Order =>
  ({
    order_id: 'o1',
    order_date: 1000,
    payment_info: { payment_status: true, payment_method: 'CREDIT_CARD', payment_date: 2000 },
    shipping_info: { order_status: over.status ?? 'DELIVERED', finished_date: 5000 },
    item_info: [
      { sku: 3, quantity: 2 },
      { sku: 7, quantity: 1 },
      { sku: 3, quantity: 4 },
    ],
    failure: null,
    ...over,
  }) as unknown as Order;

describe('what a lifecycle record means for stock', () => {
  it('paid reserves, delivered consumes, cancelled after payment releases, returned comes back, timed out held nothing', () => {
    expect(stockEvent('paid', order({}))).toEqual({ kind: 'paid' });
    expect(stockEvent('finished', order({}))).toEqual({ kind: 'end', end: 'delivered' });
    expect(stockEvent('failed', order({ status: 'RETURNED' }))).toEqual({ kind: 'end', end: 'returned' });
    expect(stockEvent('failed', order({ status: 'TIMED_OUT' }))).toEqual({ kind: 'end', end: 'none' });
    expect(
      stockEvent(
        'failed',
        order({ status: 'CANCELLED', failure: { stage: 'shipping', reason: 'x', failed_at: 3 } }),
      ),
    ).toEqual({ kind: 'end', end: 'released' });
  });

  it('takes the event time from the stage that made the record', () => {
    expect(eventTime('paid', order({}))).toBe(2000);
    expect(eventTime('finished', order({}))).toBe(5000);
    expect(eventTime('failed', order({ failure: { stage: 'delivery', reason: 'x', failed_at: 4000 } }))).toBe(
      4000,
    );
  });

  it('sums a SKU over its lines and splits a shortage into a backorder', () => {
    expect([...orderLines(order({}))]).toEqual([
      [3, 6],
      [7, 1],
    ]);
    expect(split(5, 10)).toEqual({ take: 5, backorder: 0 });
    expect(split(5, 3)).toEqual({ take: 3, backorder: 2 });
    expect(split(5, -1)).toEqual({ take: 0, backorder: 5 });
  });
});
