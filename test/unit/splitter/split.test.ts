import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { toCents } from '../../../common/money.ts';
import { readSchema } from '../../../common/serde.ts';
import { split } from '../../../splitter/split.ts';
import { cancelledAtShipping, delivered, returned, timedOut } from './sample-orders.ts';

const ordersType = parseAvro(readSchema('split/orders.avsc'));
const customersType = parseAvro(readSchema('split/customers.avsc'));
const itemsType = parseAvro(readSchema('split/order_items.avsc'));

describe('split', () => {
  it('flattens a delivered order into one orders row keyed by order_id', () => {
    const { orders } = split(delivered);
    expect(orders[0]).toBe(delivered.order_id);
    expect(orders[1]).toEqual({
      order_id: delivered.order_id,
      order_date: delivered.order_date,
      customer_id: 'C-000042',
      lgu: 'Cebu',
      provincial_code: 'PH-CEB',
      payment_status: true,
      payment_method: 'BANK_TRANSFER',
      payment_date: delivered.payment_info.payment_date,
      shipping_id: 'SHP-7F3A9C',
      express_shipping: true,
      order_status: 'DELIVERED',
      shipped_date: delivered.shipping_info.shipped_date,
      eta: delivered.shipping_info.eta,
      finished_date: delivered.shipping_info.finished_date,
      item_variety: 3,
      order_total: '8321.00',
      failure_stage: null,
      failure_reason: null,
      failed_at: null,
      cart_id: delivered.cart_id,
      channel: 'online',
      store_id: null,
      tender: null,
      vat_total: null,
    });
  });

  it('keys the customer row by customer_id and records which order it came from', () => {
    const { customers } = split(delivered);
    expect(customers[0]).toBe('C-000042');
    expect(customers[1]).toMatchObject({
      customer_id: 'C-000042',
      email: 'maria.santos@example.ph',
      street_address: '12 Rizal Street, Barangay Lahug',
      last_order_id: delivered.order_id,
      as_of: delivered.order_date,
    });
  });

  it('explodes the basket into one row per line keyed by order_id-sku, keeping the unit price', () => {
    const { orderItems } = split(delivered);
    expect(orderItems.map(([key]) => key)).toEqual([
      `${delivered.order_id}-3`,
      `${delivered.order_id}-27`,
      `${delivered.order_id}-51`,
    ]);
    for (const [key, row] of orderItems) {
      expect(row.item_id).toBe(key);
      expect(row.order_id).toBe(delivered.order_id);
      expect(row.order_status).toBe('DELIVERED');
    }
    expect(orderItems[2]![1]).toMatchObject({
      sku: 51,
      unit_price: '3450.00',
      quantity: 2,
      discount_percent: '12.50',
      subtotal: '6037.50',
    });
    const lineSum = orderItems.reduce((sum, [, row]) => sum + toCents(row.subtotal!), 0);
    expect(lineSum).toBe(toCents(delivered.order_total));
  });

  it('lands failed orders with their failure columns and nulls where the order never got', () => {
    const { orders, orderItems } = split(timedOut);
    expect(orders[1]).toMatchObject({
      payment_status: false,
      payment_method: null,
      payment_date: null,
      order_status: 'TIMED_OUT',
      shipped_date: null,
      eta: null,
      failure_stage: 'payment',
      failure_reason: 'payment not received within 7 days',
      failed_at: timedOut.failure!.failed_at,
    });
    expect(orderItems).toHaveLength(1);
    expect(orderItems[0]![1].order_status).toBe('TIMED_OUT');

    expect(split(cancelledAtShipping).orders[1]).toMatchObject({
      order_status: 'CANCELLED',
      failure_stage: 'shipping',
    });
    expect(split(returned).orders[1]).toMatchObject({
      order_status: 'RETURNED',
      failure_stage: 'delivery',
      shipped_date: returned.shipping_info.shipped_date,
    });
  });

  it('gives an order with an empty basket no item rows (as EXPLODE does)', () => {
    const empty = { ...delivered, item_info: [], item_variety: 0, order_total: '0.00' };
    expect(split(empty).orderItems).toEqual([]);
  });

  it('produces values the split topics’ Avro schemas accept, unchanged by a round trip', () => {
    for (const order of [delivered, timedOut, cancelledAtShipping, returned]) {
      const out = split(order);
      expect(ordersType.fromBuffer(ordersType.toBuffer(out.orders[1]))).toEqual(out.orders[1]);
      expect(customersType.fromBuffer(customersType.toBuffer(out.customers[1]))).toEqual(out.customers[1]);
      for (const [, row] of out.orderItems)
        expect(itemsType.fromBuffer(itemsType.toBuffer(row))).toEqual(row);
    }
  });
});
