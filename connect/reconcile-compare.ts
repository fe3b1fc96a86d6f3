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
  /** Order ids that appear in more than one committed record of finished/failed_orders. */
  duplicates: { orderId: string; records: number }[];
  /** Every difference found, one sentence each (empty when reconciled). */
  differences: string[];
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

/**
 * Compare. `recordsPerOrder` counts the committed records read per order id (the last one is in
 * `kafka`): more than one is a duplicate, which the upserting sink would hide.
 */
export function reconcile(
  kafka: Map<string, KafkaOrder>,
  landed: LandedOrder[],
  items: LandedItems,
  recordsPerOrder: Map<string, number> = new Map(),
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
  const duplicates = [...recordsPerOrder]
    .filter(([, n]) => n > 1)
    .map(([orderId, records]) => ({ orderId, records }))
    .sort((a, b) => a.orderId.localeCompare(b.orderId));
  const differences: string[] = [];
  const count = (n: number, what: string) => `${n} ${what}`;
  if (duplicates.length > 0) {
    const extraRecords = duplicates.reduce((n, d) => n + d.records - 1, 0);
    differences.push(
      `${count(duplicates.length, 'order(s)')} written more than once to finished/failed_orders (${extraRecords} duplicate record(s))`,
    );
  }
  if (missing.length) differences.push(count(missing.length, 'order(s) missing in postgres'));
  if (extra.length) differences.push(count(extra.length, 'order(s) in postgres that Kafka does not have'));
  if (differentTotal.length)
    differences.push(count(differentTotal.length, 'order(s) with a different total'));
  if (differentStatus.length)
    differences.push(count(differentStatus.length, 'order(s) with a different status'));
  if (kafkaLines !== items.rows) differences.push(`order lines: kafka ${kafkaLines}, postgres ${items.rows}`);
  if (kafkaTotal !== landedTotal) {
    differences.push(`order total sum: kafka ${fromCents(kafkaTotal)}, postgres ${fromCents(landedTotal)}`);
  }
  if (kafkaRevenue !== items.deliveredSubtotalCents) {
    differences.push(
      `revenue: kafka ${fromCents(kafkaRevenue)}, postgres ${fromCents(items.deliveredSubtotalCents)}`,
    );
  }
  const ok = differences.length === 0;
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
    duplicates,
    differences,
    ok,
  };
}

/** A summary for a person; lists at most `limit` ids per kind of mismatch. */
export function formatReconciliation(r: Reconciliation, limit = 10): string[] {
  const few = (ids: string[]) =>
    ids.slice(0, limit).join(', ') + (ids.length > limit ? `, ... (${ids.length - limit} more)` : '');
  const pairs = (ds: Reconciliation['differentTotal']) =>
    ds
      .slice(0, limit)
      .map((d) => `${d.orderId}: ${d.kafka} vs ${d.landed}`)
      .join(', ');
  const lines = [
    `orders: kafka ${r.kafkaOrders}, postgres ${r.landedOrders}`,
    `order total sum (PHP): kafka ${r.kafkaTotal}, postgres ${r.landedTotal}`,
    `revenue, delivered line subtotals (PHP): kafka ${r.kafkaRevenue}, postgres ${r.landedRevenue}`,
    `order lines: kafka ${r.kafkaLines}, postgres ${r.landedLines}`,
    `missing in postgres: ${r.missing.length}${r.missing.length ? ` (${few(r.missing)})` : ''}`,
    `extra in postgres: ${r.extra.length}${r.extra.length ? ` (${few(r.extra)})` : ''}`,
    `different total: ${r.differentTotal.length}${r.differentTotal.length ? ` (${pairs(r.differentTotal)})` : ''}`,
    `different status: ${r.differentStatus.length}${r.differentStatus.length ? ` (${pairs(r.differentStatus)})` : ''}`,
    `duplicates in finished/failed_orders: ${r.duplicates.length}${
      r.duplicates.length ? ` (${few(r.duplicates.map((d) => `${d.orderId} x${d.records}`))})` : ''
    }`,
    r.ok
      ? 'reconciled: Kafka and PostgreSQL agree'
      : `MISMATCH: Kafka and PostgreSQL disagree: ${r.differences.join('; ')}`,
  ];
  return lines;
}
