/**
 * Storefront carts around the orders (issue 15). Every order is the checkout of a cart that holds
 * its lines; between two orders, shoppers open carts that are never checked out (abandoned). The
 * rates and their sources are in `GeneratorConfig.carts`.
 *
 * Few events by design (the generator's throughput is the budget): a cart is created by its first
 * add (CREATE_CART carries that line), each further product is one ADD_TO_CART whose `view_count`
 * says how often its page was viewed first (one count per product, not one event per view), a
 * removal is one REMOVE_FROM_CART, a checked-out cart ends in CHECKOUT and an abandoned one in
 * nothing (the warehouse calls it abandoned after `expiryHours`). Sessions that only browse have
 * no events: CREATE_CART's `visits` counts the sessions begun since the previous cart, its own
 * included. About 9 events per order with the defaults (test/unit/producer/carts.test.ts counts them).
 *
 * Pure and seeded: draws come from the `Random` passed in (the generator forks one for carts, so
 * the orders' own streams, and so their bytes, do not change), in this order per order: the
 * abandoned carts since the previous order (count, then each cart's time, customer, lines, session
 * length, visits, views, removals, id), then the checked-out cart (its removals, session length,
 * visits, views, id).
 */
import type { CartEvent, CartEventType } from '../../schemas/types.generated.ts';
import type { GeneratorConfig } from '../config.ts';
import { CATALOGUE } from '../../reference/catalogue.ts';
import { localDay } from '../../reference/calendar.ts';
import { ulid } from './identifiers.ts';
import { cumulative, type Random } from './random.ts';
import { normaliseCurve } from './volume.ts';

const MINUTE = 60_000;
/** Known customers an abandoned cart can belong to: the customers of the latest orders. */
const RECENT_CUSTOMERS = 1000;

export interface CartLine {
  sku: number;
  quantity: number;
}

/** What the checked-out cart must match: the order's id, time, customer and lines. */
export interface Checkout {
  orderId: string;
  orderDate: number;
  customerId: string;
  lines: readonly CartLine[];
}

export interface CartsOfOrder {
  /** The cart the order checks out (the order's cart_id). */
  cartId: string;
  /** The abandoned carts since the previous order, then the order's own cart; each cart's events in order. */
  events: CartEvent[];
  /** How many of the carts were abandoned (for statistics). */
  abandoned: number;
}

export class CartModel {
  private readonly popularity = cumulative(CATALOGUE.map((p) => p.popularity));
  private readonly abandonedLines: number[];
  /** Mean abandoned carts per order before the evening and payday factors. */
  readonly baseAbandonedPerOrder: number;
  private readonly recent: string[] = [];
  private recentNext = 0;
  private previousOrderAt: number | null = null;

  constructor(
    private readonly config: GeneratorConfig,
    private readonly rng: Random,
    private readonly ids: Random,
  ) {
    const c = config.carts;
    this.abandonedLines = cumulative(c.abandonedLineWeights);
    // Orders fall in the evening hours in proportion to the time-of-day curve's rates.
    const rates = normaliseCurve(config.timeOfDay).map((v) => 1 / v);
    const total = rates.reduce((s, r) => s + r, 0);
    let evening = 0;
    for (let h = c.eveningHours[0]; h <= c.eveningHours[1]; h++) evening += rates[h]!;
    const meanFactor =
      (1 + (evening / total) * (c.eveningBrowsing - 1)) * (1 + c.paydayOrderShare * (c.paydayBrowsing - 1));
    this.baseAbandonedPerOrder = c.abandonmentRate / (1 - c.abandonmentRate) / meanFactor;
  }

  /** Mean abandoned carts before an order at `t`: more in the evening and on paydays. */
  abandonedPerOrder(t: number): number {
    const c = this.config.carts;
    const day = localDay(t, this.config);
    let mean = this.baseAbandonedPerOrder;
    if (day.hour >= c.eveningHours[0] && day.hour <= c.eveningHours[1]) mean *= c.eveningBrowsing;
    if (day.kind === 'payday') mean *= c.paydayBrowsing;
    return mean;
  }

  /** The carts up to `order`: those abandoned since the previous order, then the one it checks out. */
  next(order: Checkout): CartsOfOrder {
    const t = order.orderDate;
    const since = this.previousOrderAt ?? t - 60 * MINUTE;
    const events: CartEvent[] = [];
    const abandoned = this.poisson(this.abandonedPerOrder(t));
    if (abandoned > 0) {
      const starts: number[] = [];
      for (let i = 0; i < abandoned; i++) starts.push(since + Math.floor(this.rng.float() * (t - since)));
      starts.sort((a, b) => a - b);
      for (const start of starts) this.abandonedCart(start, t, events);
    }
    const cartId = this.checkedOutCart(order, events);
    this.previousOrderAt = t;
    this.remember(order.customerId);
    return { cartId, events, abandoned };
  }

  private abandonedCart(start: number, before: number, out: CartEvent[]): void {
    const c = this.config.carts;
    const customer =
      this.recent.length > 0 && this.rng.chance(c.knownCustomerShare) ? this.rng.pick(this.recent) : null;
    const count = this.rng.weightedIndex(this.abandonedLines) + 1;
    const lines: CartLine[] = [];
    const taken = new Set<number>();
    while (lines.length < count) {
      const sku = CATALOGUE[this.rng.weightedIndex(this.popularity)]!.sku;
      if (taken.has(sku)) continue;
      taken.add(sku);
      lines.push({ sku, quantity: this.rng.chance(0.25) ? 2 : 1 });
    }
    // Ends before the next order, so a live run never holds a cart event from the future.
    const end = Math.max(start, Math.min(start + this.sessionMs(), before - 1));
    const cartId = ulid(start, this.ids);
    const steps = lines.map((l): Step => ({ type: 'ADD_TO_CART', line: l }));
    for (const l of lines)
      if (this.rng.chance(c.removalRate)) steps.push({ type: 'REMOVE_FROM_CART', line: l });
    this.emit(cartId, customer, start, end, steps, null, out);
  }

  private checkedOutCart(order: Checkout, out: CartEvent[]): string {
    const c = this.config.carts;
    const steps: Step[] = [];
    const removed: Step[] = [];
    const taken = new Set(order.lines.map((l) => l.sku));
    for (const line of order.lines) {
      steps.push({ type: 'ADD_TO_CART', line });
      if (!this.rng.chance(c.removalRate)) continue;
      // A further product, added now and taken out again before the checkout.
      let sku = CATALOGUE[this.rng.weightedIndex(this.popularity)]!.sku;
      while (taken.has(sku)) sku = CATALOGUE[this.rng.weightedIndex(this.popularity)]!.sku;
      taken.add(sku);
      const extra = { sku, quantity: 1 };
      steps.push({ type: 'ADD_TO_CART', line: extra });
      removed.push({ type: 'REMOVE_FROM_CART', line: extra });
    }
    steps.push(...removed, { type: 'CHECKOUT', line: null });
    const start = order.orderDate - this.sessionMs();
    const cartId = ulid(start, this.ids);
    this.emit(cartId, order.customerId, start, order.orderDate, steps, order.orderId, out);
    return cartId;
  }

  /** The cart's events, evenly spread from `start` to `end`; the first add creates the cart. */
  private emit(
    cartId: string,
    customer: string | null,
    start: number,
    end: number,
    steps: readonly Step[],
    orderId: string | null,
    out: CartEvent[],
  ): void {
    const c = this.config.carts;
    const last = Math.max(1, steps.length - 1);
    for (let seq = 0; seq < steps.length; seq++) {
      const step = steps[seq]!;
      const add = step.type === 'ADD_TO_CART';
      const type: CartEventType = seq === 0 ? 'CREATE_CART' : step.type;
      out.push({
        cart_id: cartId,
        seq,
        event_type: type,
        event_time: start + Math.floor(((end - start) * seq) / last),
        customer_id: seq === 0 ? customer : null,
        sku: step.line ? step.line.sku : null,
        quantity: step.line ? step.line.quantity : null,
        view_count: add ? 1 + this.geometric(c.viewsPerAdd - 1) : null,
        visits: seq === 0 ? 1 + this.geometric(1 / c.addToCartRate - 1) : null,
        order_id: step.type === 'CHECKOUT' ? orderId : null,
      });
    }
  }

  private sessionMs(): number {
    const [min, max] = this.config.carts.sessionMinutes;
    return this.rng.int(min * MINUTE, max * MINUTE);
  }

  private remember(customerId: string): void {
    if (this.recent.length < RECENT_CUSTOMERS) this.recent.push(customerId);
    else this.recent[this.recentNext] = customerId;
    this.recentNext = (this.recentNext + 1) % RECENT_CUSTOMERS;
  }

  /** A count >= 0 with the given mean (geometric: each further one as likely as the mean says). */
  private geometric(mean: number): number {
    if (mean <= 0) return 0;
    const q = mean / (1 + mean);
    return Math.floor(Math.log(1 - this.rng.float()) / Math.log(q));
  }

  /** Poisson with the given mean (Knuth's product of uniforms; means here are small). */
  private poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.rng.float();
    while (p > limit) {
      k++;
      p *= this.rng.float();
    }
    return k;
  }
}

interface Step {
  type: 'ADD_TO_CART' | 'REMOVE_FROM_CART' | 'CHECKOUT';
  line: CartLine | null;
}
