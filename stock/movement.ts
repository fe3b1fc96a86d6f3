/**
 * What a lifecycle record means for stock, decided from the record alone (pure): a paid order
 * reserves its lines, a delivered one consumes the reservation, one cancelled after payment
 * releases it, a returned one is consumed and its goods come back, one that timed out before
 * payment never held stock. Plus the record's event time, which drives restock arrivals.
 */
import type { Order } from '../schemas/types.generated.ts';

export type LifecycleTopic = 'paid' | 'finished' | 'failed';
export type OrderEnd = 'delivered' | 'returned' | 'released' | 'none';

export type StockEvent = { kind: 'paid' } | { kind: 'end'; end: OrderEnd };

export function stockEvent(topic: LifecycleTopic, order: Order): StockEvent {
  if (topic === 'paid') return { kind: 'paid' };
  if (topic === 'finished') return { kind: 'end', end: 'delivered' };
  switch (order.shipping_info.order_status) {
    case 'RETURNED':
      return { kind: 'end', end: 'returned' };
    case 'TIMED_OUT':
      return { kind: 'end', end: 'none' };
    default:
      // Cancelled in shipping or in transit: it was paid, so it held stock.
      return { kind: 'end', end: order.failure?.stage === 'payment' ? 'none' : 'released' };
  }
}

/** When the record's change happened, in event time (UTC ms). */
export function eventTime(topic: LifecycleTopic, order: Order): number {
  if (topic === 'paid') return order.payment_info.payment_date ?? order.order_date;
  if (topic === 'finished') return order.shipping_info.finished_date ?? order.order_date;
  return order.failure?.failed_at ?? order.shipping_info.finished_date ?? order.order_date;
}

/** Units per SKU of an order (a SKU on two lines counts once, summed). */
export function orderLines(order: Order): Map<number, number> {
  const lines = new Map<number, number>();
  for (const item of order.item_info) lines.set(item.sku, (lines.get(item.sku) ?? 0) + item.quantity);
  return lines;
}

/** Of `wanted` units with `available` on the shelf: how many are reserved and how many backordered. */
export function split(wanted: number, available: number): { take: number; backorder: number } {
  const take = Math.max(0, Math.min(wanted, available));
  return { take, backorder: wanted - take };
}
