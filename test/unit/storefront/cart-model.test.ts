/**
 * The storefront's cart model (storefront/cart-model.ts) over two years of the default generator,
 * seed 7 (the statistics test's seed): each order's session drawn on its own, from the seed and the
 * order alone. The rate rules hold with the tolerances they had in the generator.
 */
import { describe, expect, it } from 'vitest';
import { orderCart } from '../../../common/cart-identity.ts';
import { makeConfig } from '../../../simulation/config.ts';
import { generateOrders } from '../../../simulation/model/generator.ts';
import { localDay } from '../../../reference/calendar.ts';
import type { CartEvent, Order } from '../../../schemas/types.generated.ts';
import { CartModel } from '../../../storefront/cart-model.ts';
import { DEFAULT_STOREFRONT } from '../../../storefront/config.ts';

const FROM = Date.UTC(2024, 10, 21);
const UNTIL = Date.UTC(2026, 10, 21);
const SEED = 7;
const config = makeConfig({ seed: SEED, from: FROM, until: UNTIL });
const HOUR = 3_600_000;

interface Run {
  orders: Order[];
  events: CartEvent[];
  /** Per order, the events of its session. */
  withOrder: CartEvent[][];
  /** Per order: abandoned carts before it, its local hour and day kind. */
  perOrder: { abandoned: number; hour: number; payday: boolean; events: number }[];
}

function run(): Run {
  const model = new CartModel(SEED);
  const out: Run = { orders: [], events: [], withOrder: [], perOrder: [] };
  for (const order of generateOrders(config, { now: () => UNTIL })) {
    // Store orders are till sales: no cart, no session (the generator names carts for online ones).
    if (order.channel !== 'online') continue;
    const session = model.session(order);
    const day = localDay(order.order_date, config);
    out.orders.push(order);
    for (const e of session.events) out.events.push(e);
    out.withOrder.push(session.events);
    out.perOrder.push({
      abandoned: session.abandoned,
      hour: day.hour,
      payday: day.kind === 'payday',
      events: session.events.length,
    });
  }
  return out;
}

const r = run();
const carts = new Map<string, CartEvent[]>();
for (const e of r.events) {
  const list = carts.get(e.cart_id);
  if (list) list.push(e);
  else carts.set(e.cart_id, [e]);
}
const checkedOut = [...carts.values()].filter((c) => c[c.length - 1]!.event_type === 'CHECKOUT');
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('storefront sessions around the orders (seed 7, two years)', () => {
  it('every order is the checkout of its own cart: same customer, same lines, checked out at the order time', () => {
    expect(r.orders.length).toBeGreaterThan(8_500); // the online ones of about 9,500
    expect(checkedOut).toHaveLength(r.orders.length);
    for (const order of r.orders) {
      const cart = carts.get(order.cart_id!)!;
      expect(cart, order.order_id).toBeDefined();
      const checkout = cart[cart.length - 1]!;
      expect(checkout).toMatchObject({ event_type: 'CHECKOUT', order_id: order.order_id });
      expect(checkout.event_time).toBe(order.order_date);
      expect(cart[0]!.customer_id).toBe(order.customer_info.customer_id);
      const held = new Map<number, number>();
      for (const e of cart) {
        if (e.event_type === 'CREATE_CART' || e.event_type === 'ADD_TO_CART') held.set(e.sku!, e.quantity!);
        if (e.event_type === 'REMOVE_FROM_CART') held.delete(e.sku!);
      }
      expect([...held].sort((a, b) => a[0] - b[0])).toEqual(
        order.item_info.map((l) => [l.sku, l.quantity] as [number, number]).sort((a, b) => a[0] - b[0]),
      );
    }
  });

  it("the generator's cart_id is the storefront's: created at the ULID's time, 3-45 minutes before the order", () => {
    for (const order of r.orders) {
      const cart = carts.get(order.cart_id!)!;
      const { cartId, createdAt } = orderCart(SEED, order.order_id, order.order_date);
      expect(cartId).toBe(order.cart_id);
      expect(cart[0]!.event_time).toBe(createdAt);
    }
  });

  it('abandoned carts never become orders', () => {
    const orderCarts = new Set(r.orders.map((o) => o.cart_id));
    for (const [id, cart] of carts) {
      const isCheckedOut = cart.some((e) => e.event_type === 'CHECKOUT');
      expect(orderCarts.has(id)).toBe(isCheckedOut);
    }
  });

  it('each cart is a valid stream: created first, in time order, nothing after the checkout, removals of held products', () => {
    for (const cart of carts.values()) {
      expect(cart[0]!.event_type).toBe('CREATE_CART');
      const held = new Set<number>();
      cart.forEach((e, i) => {
        expect(e.seq).toBe(i);
        if (i > 0) expect(e.event_time).toBeGreaterThanOrEqual(cart[i - 1]!.event_time);
        if (e.event_type === 'CHECKOUT') expect(i).toBe(cart.length - 1);
        if (e.event_type === 'CREATE_CART' || e.event_type === 'ADD_TO_CART') held.add(e.sku!);
        if (e.event_type === 'REMOVE_FROM_CART') expect(held.delete(e.sku!)).toBe(true);
      });
    }
  });

  it('abandonment is near 70% (Baymard Institute: 70.19%)', () => {
    const rate = 1 - checkedOut.length / carts.size;
    expect(rate).toBeGreaterThan(0.68);
    expect(rate).toBeLessThan(0.72);
  });

  it('the normalisation uses the shares of orders the generator really makes in the evening and on paydays', () => {
    const evening = r.perOrder.filter((o) => o.hour >= 18 && o.hour <= 23).length / r.orders.length;
    const payday = r.perOrder.filter((o) => o.payday).length / r.orders.length;
    expect(Math.abs(evening - DEFAULT_STOREFRONT.eveningOrderShare)).toBeLessThan(0.02);
    expect(Math.abs(payday - DEFAULT_STOREFRONT.paydayOrderShare)).toBeLessThan(0.02);
  });

  it('more browsing in the evening: abandoned carts per order x1.3 at 18:00-23:59', () => {
    const ordinary = r.perOrder.filter((o) => !o.payday);
    const evening = mean(ordinary.filter((o) => o.hour >= 18).map((o) => o.abandoned));
    const rest = mean(ordinary.filter((o) => o.hour < 18).map((o) => o.abandoned));
    expect(evening / rest).toBeGreaterThan(1.2);
    expect(evening / rest).toBeLessThan(1.4);
  });

  it('more browsing on paydays: abandoned carts per order x1.25 on the 14th-15th', () => {
    const daytime = r.perOrder.filter((o) => o.hour < 18);
    const payday = mean(daytime.filter((o) => o.payday).map((o) => o.abandoned));
    const other = mean(daytime.filter((o) => !o.payday).map((o) => o.abandoned));
    expect(payday / other).toBeGreaterThan(1.12);
    expect(payday / other).toBeLessThan(1.38);
  });

  it('about 10% of added lines are removed again', () => {
    const adds = r.events.filter((e) => e.event_type === 'CREATE_CART' || e.event_type === 'ADD_TO_CART');
    const removals = r.events.filter((e) => e.event_type === 'REMOVE_FROM_CART');
    // A checked-out cart's removal adds a line of its own: removals / adds = p / (1 + p) there.
    expect(removals.length / adds.length).toBeGreaterThan(0.08);
    expect(removals.length / adds.length).toBeLessThan(0.11);
  });

  it('several views per added product (mean ~3), and an add-to-cart rate of ~8% of sessions', () => {
    const adds = r.events.filter((e) => e.event_type === 'CREATE_CART' || e.event_type === 'ADD_TO_CART');
    expect(adds.every((e) => e.view_count! >= 1)).toBe(true);
    expect(mean(adds.map((e) => e.view_count!))).toBeCloseTo(DEFAULT_STOREFRONT.viewsPerAdd, 1);
    const visits = r.events.filter((e) => e.event_type === 'CREATE_CART').map((e) => e.visits!);
    expect(visits.every((v) => v >= 1)).toBe(true);
    const addToCartRate = carts.size / visits.reduce((s, v) => s + v, 0);
    expect(addToCartRate).toBeGreaterThan(0.075);
    expect(addToCartRate).toBeLessThan(0.085);
  });

  it('few events: about 9 per order (each one a Kafka message of the storefront service)', () => {
    const perOrder = r.events.length / r.orders.length;
    expect(perOrder).toBeGreaterThan(7.5);
    expect(perOrder).toBeLessThan(10);
    expect(Math.max(...r.perOrder.map((o) => o.events))).toBeLessThan(100);
  });

  it("events lie in the order's past: its cart opens 3-45 minutes before it, abandoned carts in the 6 hours before", () => {
    for (let i = 0; i < r.orders.length; i++) {
      const order = r.orders[i]!;
      const cart = carts.get(order.cart_id!)!;
      expect(order.order_date - cart[0]!.event_time).toBeGreaterThanOrEqual(3 * 60_000);
      expect(order.order_date - cart[0]!.event_time).toBeLessThanOrEqual(45 * 60_000);
      for (const e of r.withOrder[i]!) {
        if (e.cart_id === order.cart_id) continue;
        expect(e.event_time).toBeGreaterThanOrEqual(order.order_date - 6 * HOUR);
        expect(e.event_time).toBeLessThan(order.order_date);
        expect(e.event_type).not.toBe('CHECKOUT');
        if (e.seq === 0) expect([null, order.customer_info.customer_id]).toContain(e.customer_id);
      }
    }
  });
});

describe('the cart model is pure and seeded', () => {
  const sample = r.orders.slice(0, 400);
  const bytes = (model: CartModel, orders: readonly Order[]) =>
    orders.map((o) => JSON.stringify(model.session(o).events));

  it('the same seed and order give the same events, in any processing order and on a replay', () => {
    const forward = bytes(new CartModel(SEED), sample);
    const shuffled = sample.map((o, i) => ({ o, k: (i * 7919) % sample.length })).sort((a, b) => a.k - b.k);
    const model = new CartModel(SEED);
    const backward = new Map(shuffled.map(({ o }) => [o.order_id, JSON.stringify(model.session(o).events)]));
    expect(sample.map((o) => backward.get(o.order_id))).toEqual(forward);
    // A replay on a model that has already drawn other sessions changes nothing.
    expect(bytes(model, sample)).toEqual(forward);
  });

  it('another seed gives other sessions', () => {
    expect(bytes(new CartModel(SEED + 1), sample)).not.toEqual(bytes(new CartModel(SEED), sample));
  });

  it('an order placed without a cart (the order API) has no session', () => {
    const session = new CartModel(SEED).session({ ...r.orders[0]!, cart_id: null });
    expect(session).toEqual({ cartId: null, events: [], abandoned: 0 });
  });

  it('cart ids are unique across two years of sessions', () => {
    const starts = new Set<string>();
    for (const cart of carts.values()) starts.add(`${cart[0]!.cart_id}`);
    expect(starts.size).toBe(carts.size);
    expect(carts.size).toBe(new Set(r.events.filter((e) => e.seq === 0).map((e) => e.cart_id)).size);
  });
});
