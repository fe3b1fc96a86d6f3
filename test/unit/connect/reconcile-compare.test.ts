import { describe, expect, it } from 'vitest';
import { kafkaOrder, reconcile, type LandedOrder } from '../../../connect/reconcile-compare.ts';
import { toCents } from '../../../common/money.ts';
import { cancelledAtShipping, delivered, returned, timedOut } from '../splitter/sample-orders.ts';

const orders = [delivered, timedOut, cancelledAtShipping, returned];
const kafka = new Map(orders.map((o) => [o.order_id, kafkaOrder(o)]));
const landedExact: LandedOrder[] = orders.map((o) => ({
  orderId: o.order_id,
  status: o.shipping_info.order_status,
  totalCents: toCents(o.order_total),
}));
const items = { rows: 3 + 1 + 2 + 3, deliveredSubtotalCents: toCents(delivered.order_total) };

describe('reconcile', () => {
  it('agrees when every order landed with its total and status', () => {
    const r = reconcile(kafka, landedExact, items);
    expect(r.ok).toBe(true);
    expect(r).toMatchObject({
      kafkaOrders: 4,
      landedOrders: 4,
      missing: [],
      extra: [],
      kafkaRevenue: '8321.00',
      landedRevenue: '8321.00',
    });
    expect(r.kafkaTotal).toBe('24963.00');
  });

  it('reports missing, extra and different rows', () => {
    const landed = landedExact
      .filter((row) => row.orderId !== timedOut.order_id)
      .map((row) => (row.orderId === returned.order_id ? { ...row, totalCents: row.totalCents! + 1 } : row))
      .map((row) => (row.orderId === cancelledAtShipping.order_id ? { ...row, status: 'SHIPPED' } : row))
      .concat([{ orderId: 'NOT-IN-KAFKA', status: 'DELIVERED', totalCents: 100 }]);
    const r = reconcile(kafka, landed, items);
    expect(r.ok).toBe(false);
    expect(r.missing).toEqual([timedOut.order_id]);
    expect(r.extra).toEqual(['NOT-IN-KAFKA']);
    expect(r.differentTotal).toEqual([{ orderId: returned.order_id, kafka: '8321.00', landed: '8321.01' }]);
    expect(r.differentStatus).toEqual([
      { orderId: cancelledAtShipping.order_id, kafka: 'CANCELLED', landed: 'SHIPPED' },
    ]);
  });

  it('fails on a revenue or line-count difference alone', () => {
    expect(
      reconcile(kafka, landedExact, { ...items, deliveredSubtotalCents: items.deliveredSubtotalCents - 50 })
        .ok,
    ).toBe(false);
    expect(reconcile(kafka, landedExact, { ...items, rows: items.rows - 1 }).ok).toBe(false);
  });

  it('counts records against distinct orders: a duplicate is a difference the upsert would hide', () => {
    const perOrder = new Map(orders.map((o) => [o.order_id, 1]));
    perOrder.set(delivered.order_id, 3);
    const r = reconcile(kafka, landedExact, items, perOrder);
    expect(r.ok).toBe(false);
    expect(r.duplicates).toEqual([{ orderId: delivered.order_id, records: 3 }]);
    expect(r.differences).toEqual([
      '1 order(s) written more than once to finished/failed_orders (2 duplicate record(s))',
    ]);
    expect(reconcile(kafka, landedExact, items, new Map(orders.map((o) => [o.order_id, 1]))).ok).toBe(true);
  });

  it('names every difference, including a line-count gap with no missing order', () => {
    const r = reconcile(kafka, landedExact, { ...items, rows: items.rows - 2 });
    expect(r.missing).toEqual([]);
    expect(r.differences).toEqual(['order lines: kafka 9, postgres 7']);
    const m = reconcile(
      kafka,
      landedExact.filter((row) => row.orderId !== timedOut.order_id),
      items,
    );
    expect(m.differences).toEqual([
      '1 order(s) missing in postgres',
      `order total sum: kafka 24963.00, postgres ${m.landedTotal}`,
    ]);
  });
});
