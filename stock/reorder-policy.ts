/**
 * When to restock and how much (pure): a reorder point and an order-up-to level that follow the
 * demand the stock service has seen, per product and location, in event time.
 *
 * - demand rate d: the units ordered (reserved plus backordered) over the trailing
 *   DEMAND_WINDOW_DAYS event-time days, per day (over fewer days while less history exists);
 * - reorder point: d x (lead time + SAFETY_DAYS), never below the product's own reorder_point
 *   (the cold-start floor from the shop database);
 * - order-up-to level: the reorder point plus d x CYCLE_DAYS, and at least the reorder point plus
 *   the product's reorder_quantity;
 * - when the inventory position (available on the shelf plus units already on order) falls below
 *   the reorder point, order the difference up to the order-up-to level.
 *
 * Several purchase orders may be open at once: the position counts them, so a fast seller whose
 * lead-time demand exceeds one order is not starved while the first is under way.
 */
export const DEMAND_WINDOW_DAYS = 28;
/** Safety stock, in days of demand, on top of the lead-time demand. */
export const SAFETY_DAYS = 6;
/** Days of demand one purchase order covers beyond the reorder point. */
export const CYCLE_DAYS = 14;

const DAY_MS = 86_400_000;

/** The event-time day (UTC days since the epoch) of `t`, the key demand is counted by. */
export function demandDay(t: number): number {
  return Math.floor(t / DAY_MS);
}

/**
 * Units per day over the trailing window ending on `today` (inclusive), from the units counted on
 * those days and the first day any demand was seen (a shorter history divides by fewer days).
 */
export function demandRate(units: number, today: number, firstDay: number | null): number {
  if (firstDay === null || units <= 0) return 0;
  const days = Math.min(DEMAND_WINDOW_DAYS, Math.max(1, today - firstDay + 1));
  return units / days;
}

export interface ReorderLevels {
  reorderPoint: number;
  orderUpTo: number;
}

export interface ProductPolicy {
  leadTimeDays: number;
  /** The product's configured reorder point and quantity: the floor while demand is small or unknown. */
  minReorderPoint: number;
  minReorderQuantity: number;
}

export function reorderLevels(demandPerDay: number, p: ProductPolicy): ReorderLevels {
  const reorderPoint = Math.max(p.minReorderPoint, Math.ceil(demandPerDay * (p.leadTimeDays + SAFETY_DAYS)));
  const orderUpTo = Math.max(
    reorderPoint + p.minReorderQuantity,
    reorderPoint + Math.ceil(demandPerDay * CYCLE_DAYS),
  );
  return { reorderPoint, orderUpTo };
}

/** Units to order now (0: none) for an inventory position of `available` plus `onOrder`. */
export function restockQuantity(available: number, onOrder: number, levels: ReorderLevels): number {
  const position = available + onOrder;
  return position < levels.reorderPoint ? levels.orderUpTo - position : 0;
}

/**
 * Units on order as seen by a record at event time `t`: the open purchase orders raised at or
 * before `t`. One raised by a record later in event time (a partition read ahead of the others)
 * does not exist yet for an earlier record, and must not hold back that record's own reorder.
 */
export function onOrderAt(open: readonly { quantity: number; orderedAt: number }[], t: number): number {
  return open.reduce((n, r) => (r.orderedAt <= t ? n + r.quantity : n), 0);
}
