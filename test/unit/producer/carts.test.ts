import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, makeConfig } from '../../../producer/config.ts';
import { CartModel } from '../../../producer/model/carts.ts';
import { generateShop, OrderGenerator } from '../../../producer/model/generator.ts';
import { Random } from '../../../producer/model/random.ts';
import { localDay } from '../../../reference/calendar.ts';
import type { CartEvent, Order } from '../../../schemas/types.generated.ts';

// Two years of the default model, seed 7 (the statistics test's seed).
const FROM = Date.UTC(2024, 10, 21);
const UNTIL = Date.UTC(2026, 10, 21);
const config = makeConfig({ seed: 7, from: FROM, until: UNTIL });

interface Run {
  orders: Order[];
  events: CartEvent[];
  /** Per order, the events written with it. */
  withOrder: CartEvent[][];
  /** Per order: abandoned carts before it, its local hour and day kind. */
  perOrder: { abandoned: number; hour: number; payday: boolean; events: number }[];
}

function run(): Run {
  const g = new OrderGenerator(config, FROM);
  const out: Run = { orders: [], events: [], withOrder: [], perOrder: [] };
  while (g.nextTime < UNTIL) {
    const order = g.next();
    const day = localDay(order.order_date, config);
    out.orders.push(order);
    for (const e of g.lastCartEvents) out.events.push(e);
    out.withOrder.push(g.lastCartEvents);
    out.perOrder.push({
      abandoned: g.lastAbandoned,
      hour: day.hour,
      payday: day.kind === 'payday',
      events: g.lastCartEvents.length,
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

describe('carts around the orders (seed 7, two years)', () => {
  it('every order is the checkout of its own cart: same customer, same lines, checked out at the order time', () => {
    expect(r.orders.length).toBeGreaterThan(9_000);
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
    expect(mean(adds.map((e) => e.view_count!))).toBeCloseTo(DEFAULT_CONFIG.carts.viewsPerAdd, 1);
    const visits = r.events.filter((e) => e.event_type === 'CREATE_CART').map((e) => e.visits!);
    expect(visits.every((v) => v >= 1)).toBe(true);
    const addToCartRate = carts.size / visits.reduce((s, v) => s + v, 0);
    expect(addToCartRate).toBeGreaterThan(0.075);
    expect(addToCartRate).toBeLessThan(0.085);
  });

  it('few events: about 9 per order (the generator writes each in the order’s transaction)', () => {
    const perOrder = r.events.length / r.orders.length;
    // Measured with the defaults: 8.6 (checked-out cart ~4.5, ~2.3 abandoned carts ~1.8 each).
    expect(perOrder).toBeGreaterThan(7.5);
    expect(perOrder).toBeLessThan(10);
    expect(Math.max(...r.perOrder.map((o) => o.events))).toBeLessThan(100);
  });

  it("events lie in event time: an order's cart opens 3-45 minutes before it, abandoned carts between it and the order before", () => {
    for (let i = 0; i < r.orders.length; i++) {
      const order = r.orders[i]!;
      const cart = carts.get(order.cart_id!)!;
      expect(order.order_date - cart[0]!.event_time).toBeGreaterThanOrEqual(3 * 60_000);
      expect(order.order_date - cart[0]!.event_time).toBeLessThanOrEqual(45 * 60_000);
      if (i === 0) continue;
      const since = r.orders[i - 1]!.order_date;
      for (const e of r.withOrder[i]!) {
        if (e.cart_id === order.cart_id) continue;
        expect(e.event_time).toBeGreaterThanOrEqual(since);
        expect(e.event_time).toBeLessThan(order.order_date);
      }
    }
  });
});

describe('the cart model is seeded', () => {
  it('the same seed gives the same events and orders; another seed does not', () => {
    const take = (seed: number) =>
      JSON.stringify(
        [...generateShop(makeConfig({ seed, from: FROM, count: 300 }), { now: () => UNTIL })].map((s) => [
          s.order,
          s.cartEvents,
        ]),
      );
    expect(take(3)).toBe(take(3));
    expect(take(3)).not.toBe(take(4));
  });

  it('draws nothing from the orders: an order is the same with other cart rates, but for cart_id', () => {
    const orders = (c: typeof config) =>
      [...generateShop({ ...c, count: 500 }, { now: () => UNTIL })].map((s) => ({
        ...s.order,
        cart_id: null,
      }));
    const other = makeConfig({
      seed: 7,
      from: FROM,
      until: UNTIL,
      carts: { ...DEFAULT_CONFIG.carts, abandonmentRate: 0.5, removalRate: 0.4 },
    });
    expect(orders(other)).toEqual(orders(config));
  });

  it('a model on its own: the abandoned carts since the previous order lie between the two orders', () => {
    const model = new CartModel(config, new Random(1, 'carts'), new Random(1, 'ids'));
    const t0 = Date.UTC(2025, 0, 14, 11);
    model.next({ orderId: 'o1', orderDate: t0, customerId: 'c1', lines: [{ sku: 1, quantity: 2 }] });
    for (let i = 0; i < 200; i++) {
      const t = t0 + (i + 1) * 3_600_000;
      const { events, cartId } = model.next({
        orderId: `o${i + 2}`,
        orderDate: t,
        customerId: 'c2',
        lines: [{ sku: 5, quantity: 1 }],
      });
      for (const e of events) {
        if (e.cart_id === cartId) continue;
        expect(e.event_time).toBeGreaterThanOrEqual(t - 3_600_000);
        expect(e.event_time).toBeLessThan(t);
        expect(e.event_type).not.toBe('CHECKOUT');
        if (e.seq === 0) expect([null, 'c1', 'c2']).toContain(e.customer_id);
      }
    }
  });
});
