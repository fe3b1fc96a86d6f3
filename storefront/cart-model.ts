/**
 * The storefront session behind one online order: the cart the order checks out, and the carts
 * its customer opened and left in the hours before (abandoned). Everything is drawn from the seed
 * and the order alone (storefront/draws.ts, keyed by the order id; the order's cart id and creation
 * time from common/cart-identity.ts, as the generator stamped them): no state crosses orders, so
 * any processing order, any replay and any number of instances give the same events, byte for byte.
 * The rates and their sources are in storefront/config.ts.
 *
 * Few events by design (each is a Kafka message): a cart is created by its first add (CREATE_CART
 * carries that line), each further product is one ADD_TO_CART whose `view_count` says how often
 * its page was viewed first (one count per product, not one event per view), a removal is one
 * REMOVE_FROM_CART, a checked-out cart ends in CHECKOUT and an abandoned one in nothing (the
 * warehouse calls it abandoned after `expiryHours`). Sessions that only browse have no events:
 * CREATE_CART's `visits` counts the sessions begun since the previous cart, its own included. About
 * 9 events per order with the defaults (test/unit/storefront/cart-model.test.ts counts them).
 *
 * Draws, in this order per order: the number of abandoned carts (Poisson, more in the evening and
 * on paydays), their start times in the window before the order, each abandoned cart (customer,
 * lines, session length, id, removals, views, visits), then the order's own cart (removals, views,
 * visits).
 */
import { cartUlid, orderCart } from '../common/cart-identity.ts';
import { CATALOGUE } from '../reference/catalogue.ts';
import { localDay } from '../reference/calendar.ts';
import type { CartEvent, CartEventType, Order } from '../schemas/types.generated.ts';
import { DEFAULT_STOREFRONT, type StorefrontConfig } from './config.ts';
import { cumulative } from '../common/draws.ts';
import { Draws } from './draws.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface CartLine {
  sku: number;
  quantity: number;
}

export interface StorefrontSession {
  /** The cart the order checks out (the order's cart_id); null for an order placed without a cart. */
  cartId: string | null;
  /** The abandoned carts in time order, then the order's own cart; each cart's events in order. */
  events: CartEvent[];
  /** How many of the carts were abandoned (for statistics). */
  abandoned: number;
}

interface Step {
  type: 'ADD_TO_CART' | 'REMOVE_FROM_CART' | 'CHECKOUT';
  line: CartLine | null;
}

export class CartModel {
  private readonly popularity = cumulative(CATALOGUE.map((p) => p.popularity));
  private readonly abandonedLines: number[];
  /** Mean abandoned carts per order before the evening and payday factors. */
  readonly baseAbandonedPerOrder: number;

  constructor(
    private readonly seed: number,
    private readonly config: StorefrontConfig = DEFAULT_STOREFRONT,
  ) {
    const c = config;
    this.abandonedLines = cumulative(c.abandonedLineWeights);
    const meanFactor =
      (1 + c.eveningOrderShare * (c.eveningBrowsing - 1)) * (1 + c.paydayOrderShare * (c.paydayBrowsing - 1));
    this.baseAbandonedPerOrder = c.abandonmentRate / (1 - c.abandonmentRate) / meanFactor;
  }

  /** Mean abandoned carts before an order at `t`: more in the evening and on paydays. */
  abandonedPerOrder(t: number): number {
    const c = this.config;
    const day = localDay(t, c);
    let mean = this.baseAbandonedPerOrder;
    if (day.hour >= c.eveningHours[0] && day.hour <= c.eveningHours[1]) mean *= c.eveningBrowsing;
    if (day.kind === 'payday') mean *= c.paydayBrowsing;
    return mean;
  }

  /** The session of one order: its customer's abandoned carts, then the cart it checks out. */
  session(order: Order): StorefrontSession {
    if (order.cart_id === null) return { cartId: null, events: [], abandoned: 0 };
    const rng = new Draws(`${this.seed}/storefront/${order.order_id}`);
    const t = order.order_date;
    const events: CartEvent[] = [];
    const abandoned = rng.poisson(this.abandonedPerOrder(t));
    const window = this.config.abandonedWindowHours * HOUR;
    const starts: number[] = [];
    for (let i = 0; i < abandoned; i++) starts.push(t - 1 - Math.floor(rng.float() * window));
    starts.sort((a, b) => a - b);
    for (const start of starts) this.abandonedCart(rng, order, start, events);
    this.checkedOutCart(rng, order, events);
    return { cartId: order.cart_id, events, abandoned };
  }

  private abandonedCart(rng: Draws, order: Order, start: number, out: CartEvent[]): void {
    const c = this.config;
    const customer = rng.chance(c.knownCustomerShare) ? order.customer_info.customer_id : null;
    const count = rng.weightedIndex(this.abandonedLines) + 1;
    const lines: CartLine[] = [];
    const taken = new Set<number>();
    while (lines.length < count) {
      const sku = CATALOGUE[rng.weightedIndex(this.popularity)]!.sku;
      if (taken.has(sku)) continue;
      taken.add(sku);
      lines.push({ sku, quantity: rng.chance(0.25) ? 2 : 1 });
    }
    // Ends before the order: the storefront writes it when the order arrives, never from the future.
    const end = Math.max(start, Math.min(start + this.sessionMs(rng), order.order_date - 1));
    const cartId = cartUlid(start, () => rng.float());
    const steps = lines.map((l): Step => ({ type: 'ADD_TO_CART', line: l }));
    for (const l of lines) if (rng.chance(c.removalRate)) steps.push({ type: 'REMOVE_FROM_CART', line: l });
    this.emit(rng, cartId, customer, start, end, steps, null, out);
  }

  private checkedOutCart(rng: Draws, order: Order, out: CartEvent[]): void {
    const steps: Step[] = [];
    const removed: Step[] = [];
    const taken = new Set(order.item_info.map((l) => l.sku));
    for (const item of order.item_info) {
      steps.push({ type: 'ADD_TO_CART', line: { sku: item.sku, quantity: item.quantity } });
      if (!rng.chance(this.config.removalRate)) continue;
      // A further product, added now and taken out again before the checkout.
      let sku = CATALOGUE[rng.weightedIndex(this.popularity)]!.sku;
      while (taken.has(sku)) sku = CATALOGUE[rng.weightedIndex(this.popularity)]!.sku;
      taken.add(sku);
      const extra = { sku, quantity: 1 };
      steps.push({ type: 'ADD_TO_CART', line: extra });
      removed.push({ type: 'REMOVE_FROM_CART', line: extra });
    }
    steps.push(...removed, { type: 'CHECKOUT', line: null });
    // Created when the generator said (the cart id is a ULID of that instant).
    const { createdAt } = orderCart(this.seed, order.order_id, order.order_date);
    const start = Math.min(createdAt, order.order_date);
    this.emit(
      rng,
      order.cart_id!,
      order.customer_info.customer_id,
      start,
      order.order_date,
      steps,
      order.order_id,
      out,
    );
  }

  /** The cart's events, evenly spread from `start` to `end`; the first add creates the cart. */
  private emit(
    rng: Draws,
    cartId: string,
    customer: string | null,
    start: number,
    end: number,
    steps: readonly Step[],
    orderId: string | null,
    out: CartEvent[],
  ): void {
    const c = this.config;
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
        view_count: add ? 1 + rng.geometric(c.viewsPerAdd - 1) : null,
        visits: seq === 0 ? 1 + rng.geometric(1 / c.addToCartRate - 1) : null,
        order_id: step.type === 'CHECKOUT' ? orderId : null,
      });
    }
  }

  private sessionMs(rng: Draws): number {
    const [min, max] = this.config.sessionMinutes;
    return rng.int(min * MINUTE, max * MINUTE);
  }
}
