/**
 * Where an order is in its life cycle, as the lifecycle topics say: the state is the topic of its
 * furthest record. unpaid_orders -> UNPAID, paid_orders -> PAID, shipped_orders -> SHIPPED,
 * finished_orders -> FINISHED (delivered), failed_orders -> FAILED (timed out, cancelled or
 * returned; `failure` says where and why). FINISHED and FAILED are final.
 *
 * The view reads five topics at once, so one order's records may arrive out of life-cycle order
 * (a lagging partition of paid_orders behind shipped_orders): a state only ever moves forward.
 * Pure: no clock, no I/O.
 */
import type { LifecycleStage } from '../schemas/invariants.ts';
import type { Order } from '../schemas/types.generated.ts';

export type OrderState = 'UNPAID' | 'PAID' | 'SHIPPED' | 'FINISHED' | 'FAILED';

export const STATE_OF_STAGE: Readonly<Record<LifecycleStage, OrderState>> = {
  unpaid: 'UNPAID',
  paid: 'PAID',
  shipped: 'SHIPPED',
  finished: 'FINISHED',
  failed: 'FAILED',
};

const RANK: Readonly<Record<OrderState, number>> = { UNPAID: 0, PAID: 1, SHIPPED: 2, FINISHED: 3, FAILED: 3 };

export function isFinal(state: OrderState): boolean {
  return RANK[state] === 3;
}

/**
 * Whether a record in state `next` moves an order on from `current` (none yet: it does). The same
 * state again (a replayed stage writes the same record) is no move; an earlier one neither.
 */
export function movesOn(current: OrderState | undefined, next: OrderState): boolean {
  return current === undefined || RANK[next] > RANK[current];
}

/** The longest `?wait=` a request may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/**
 * `?wait=N`: long-poll up to N seconds (a whole number from 0 to 60) for the order's state to
 * differ from its state when the request arrived; absent means 0 (answer at once).
 */
export function parseWait(raw: unknown): { ok: true; seconds: number } | { ok: false; message: string } {
  if (raw === undefined) return { ok: true, seconds: 0 };
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof value === 'string' && /^\d{1,3}$/.test(value)) {
    const seconds = Number(value);
    if (seconds <= MAX_WAIT_SECONDS) return { ok: true, seconds };
  }
  return {
    ok: false,
    message: `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS} (got ${JSON.stringify(value)})`,
  };
}

/** The answer to GET /v1/orders/:id: the state, what it means, and the order's newest record. */
export interface OrderStatusBody {
  order_id: string;
  state: OrderState;
  final: boolean;
  /** The record's own status (PROCESSING, SHIPPED, DELIVERED, TIMED_OUT, CANCELLED, RETURNED). */
  order_status: Order['shipping_info']['order_status'] | null;
  failure: { stage: string; reason: string; failed_at: string } | null;
  /** The newest lifecycle record, dates as ISO-8601 UTC, money as decimal strings (PHP). */
  order: OrderJson | null;
}

type Dates<T> = {
  [K in keyof T]: T[K] extends number ? string : T[K] extends number | null ? string | null : T[K];
};
export type OrderJson = Omit<Order, 'order_date' | 'payment_info' | 'shipping_info' | 'failure'> & {
  order_date: string;
  payment_info: Dates<Order['payment_info']>;
  shipping_info: Dates<Order['shipping_info']>;
  failure: Dates<NonNullable<Order['failure']>> | null;
};

const iso = (t: number): string => new Date(t).toISOString();
const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));

/** An order as JSON for people and scripts: timestamps as ISO-8601 UTC instead of epoch ms. */
export function orderJson(o: Order): OrderJson {
  return {
    ...o,
    order_date: iso(o.order_date),
    payment_info: { ...o.payment_info, payment_date: isoOrNull(o.payment_info.payment_date) },
    shipping_info: {
      ...o.shipping_info,
      shipped_date: isoOrNull(o.shipping_info.shipped_date),
      eta: isoOrNull(o.shipping_info.eta),
      finished_date: isoOrNull(o.shipping_info.finished_date),
    },
    failure: o.failure ? { ...o.failure, failed_at: iso(o.failure.failed_at) } : null,
  };
}

export function statusBody(orderId: string, state: OrderState, order: Order | null): OrderStatusBody {
  return {
    order_id: orderId,
    state,
    final: isFinal(state),
    order_status: order?.shipping_info.order_status ?? null,
    failure: order?.failure
      ? { stage: order.failure.stage, reason: order.failure.reason, failed_at: iso(order.failure.failed_at) }
      : null,
    order: order ? orderJson(order) : null,
  };
}
