/**
 * The comparison behind `orderflow reconcile`: orders as Kafka has them (finished_orders and
 * failed_orders) against the rows the sink landed in PostgreSQL. Pure: no I/O.
 */
import { fromCents, toCents } from '../common/money.ts';
import type { Order } from '../schemas/types.generated.ts';

/** One order as read from Kafka, reduced to what is compared. */
export interface KafkaOrder {
  orderId: string;
  status: string;
  totalCents: number;
  /** Sum of the line subtotals and the number of lines. */
  lineCents: number;
  lines: number;
}

/** One landed orders row, with its order_items rows summed. */
export interface LandedOrder {
  orderId: string;
  status: string | null;
  totalCents: number | null;
}

export interface LandedItems {
  rows: number;
  deliveredSubtotalCents: number;
}

export interface Reconciliation {
  kafkaOrders: number;
  landedOrders: number;
  missing: string[];
  extra: string[];
  differentTotal: { orderId: string; kafka: string; landed: string | null }[];
  differentStatus: { orderId: string; kafka: string; landed: string | null }[];
  kafkaTotal: string;
  landedTotal: string;
  /** Revenue: the sum of the delivered orders' line subtotals. */
  kafkaRevenue: string;
  landedRevenue: string;
  kafkaLines: number;
  landedLines: number;
  ok: boolean;
}

export function kafkaOrder(order: Order): KafkaOrder {
  return {
    orderId: order.order_id,
    status: order.shipping_info.order_status,
    totalCents: toCents(order.order_total),
    lineCents: order.item_info.reduce((sum, line) => sum + toCents(line.subtotal), 0),
    lines: order.item_info.length,
  };
}

export function reconcile(
  kafka: Map<string, KafkaOrder>,
  landed: LandedOrder[],
  items: LandedItems,
): Reconciliation {
  const landedById = new Map(landed.map((row) => [row.orderId, row]));
  const missing: string[] = [];
  const differentTotal: Reconciliation['differentTotal'] = [];
  const differentStatus: Reconciliation['differentStatus'] = [];
  let kafkaTotal = 0;
  let kafkaRevenue = 0;
  let kafkaLines = 0;
  for (const order of kafka.values()) {
    kafkaTotal += order.totalCents;
    kafkaLines += order.lines;
    if (order.status === 'DELIVERED') kafkaRevenue += order.lineCents;
    const row = landedById.get(order.orderId);
    if (!row) {
      missing.push(order.orderId);
      continue;
    }
    if (row.totalCents !== order.totalCents) {
      differentTotal.push({
        orderId: order.orderId,
        kafka: fromCents(order.totalCents),
        landed: row.totalCents === null ? null : fromCents(row.totalCents),
      });
    }
    if (row.status !== order.status) {
      differentStatus.push({ orderId: order.orderId, kafka: order.status, landed: row.status });
    }
  }
  const extra = landed.filter((row) => !kafka.has(row.orderId)).map((row) => row.orderId);
  const landedTotal = landed.reduce((sum, row) => sum + (row.totalCents ?? 0), 0);
  const ok =
    missing.length === 0 &&
    extra.length === 0 &&
    differentTotal.length === 0 &&
    differentStatus.length === 0 &&
    kafkaTotal === landedTotal &&
    kafkaRevenue === items.deliveredSubtotalCents &&
    kafkaLines === items.rows;
  return {
    kafkaOrders: kafka.size,
    landedOrders: landed.length,
    missing: missing.sort(),
    extra: extra.sort(),
    differentTotal,
    differentStatus,
    kafkaTotal: fromCents(kafkaTotal),
    landedTotal: fromCents(landedTotal),
    kafkaRevenue: fromCents(kafkaRevenue),
    landedRevenue: fromCents(items.deliveredSubtotalCents),
    kafkaLines,
    landedLines: items.rows,
    ok,
  };
}

/** A summary for a person; lists at most `limit` ids per kind of mismatch. */
export function formatReconciliation(r: Reconciliation, limit = 10): string[] {
  const few = (ids: string[]) =>
    ids.slice(0, limit).join(', ') + (ids.length > limit ? `, ... (${ids.length - limit} more)` : '');
  const lines = [
    `orders: kafka ${r.kafkaOrders}, postgres ${r.landedOrders}`,
    `order total sum (PHP): kafka ${r.kafkaTotal}, postgres ${r.landedTotal}`,
    `revenue, delivered line subtotals (PHP): kafka ${r.kafkaRevenue}, postgres ${r.landedRevenue}`,
    `order lines: kafka ${r.kafkaLines}, postgres ${r.landedLines}`,
    `missing in postgres: ${r.missing.length}${r.missing.length ? ` (${few(r.missing)})` : ''}`,
    `extra in postgres: ${r.extra.length}${r.extra.length ? ` (${few(r.extra)})` : ''}`,
    `different total: ${r.differentTotal.length}${
      r.differentTotal.length
        ? ` (${r.differentTotal
            .slice(0, limit)
            .map((d) => `${d.orderId}: ${d.kafka} vs ${d.landed}`)
            .join(', ')})`
        : ''
    }`,
    `different status: ${r.differentStatus.length}${
      r.differentStatus.length
        ? ` (${r.differentStatus
            .slice(0, limit)
            .map((d) => `${d.orderId}: ${d.kafka} vs ${d.landed}`)
            .join(', ')})`
        : ''
    }`,
    r.ok ? 'reconciled: Kafka and PostgreSQL agree' : 'MISMATCH: Kafka and PostgreSQL disagree',
  ];
  return lines;
}
