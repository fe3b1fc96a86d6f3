/**
 * The generation core: a lazy, deterministic stream of new orders. It touches no clock, network
 * or file: "now" comes from the injected clock and only fills in a missing from/until. The same
 * config (seed included) always yields the same orders, byte for byte.
 */
import type { Order } from '../../schemas/types.generated.ts';
import type { GeneratorConfig } from '../config.ts';
import { BasketModel } from './basket.ts';
import { ChannelModel } from './channel.ts';
import { localDay } from '../../reference/calendar.ts';
import { CustomerBook } from './customers.ts';
import { capAtCostInForce, DiscountCalendar } from './discounts.ts';
import { shippingId, ulid } from './identifiers.ts';
import { orderCart } from '../../common/cart-identity.ts';
import { assembleOrder } from '../../common/new-order.ts';
import { Random } from './random.ts';
import { VolumeModel } from './volume.ts';
import { PriceBook } from '../../reference/price-schedule.ts';

export interface Clock {
  /** Current time, UTC ms. */
  now(): number;
}

/** Same instant as `t` minus `months` calendar months (UTC), day clamped to the month's length. */
export function monthsBefore(t: number, months: number): number {
  const d = new Date(t);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(
    target.getUTCFullYear(),
    target.getUTCMonth(),
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** The window a config describes: from defaults to 24 months before now, until to now. */
export function resolveWindow(config: GeneratorConfig, clock: Clock): { from: number; until: number } {
  const now = config.from === undefined || config.until === undefined ? clock.now() : 0;
  const from = config.from ?? monthsBefore(now, 24);
  const until = config.until ?? now;
  return { from, until };
}

/** Everything a generator run is made of, exposed for tests and statistics. */
export class OrderGenerator {
  readonly volume: VolumeModel;
  readonly customers: CustomerBook;
  readonly baskets: BasketModel;
  readonly discounts: DiscountCalendar;
  /** The price schedule every line is priced from (the shop database holds the same one). */
  readonly prices: PriceBook;
  /** Online or at a store's till. */
  readonly channels: ChannelModel;
  private readonly ids: Random;
  private readonly shipping: Random;
  private t: number;
  private produced = 0;
  /** Was the last order's customer a returning one (for statistics). */
  lastReturning = false;

  constructor(
    readonly config: GeneratorConfig,
    readonly from: number,
  ) {
    const root = new Random(config.seed);
    this.volume = new VolumeModel(config, root.fork('volume'));
    this.customers = new CustomerBook(config, root.fork('customers'), String(from));
    this.baskets = new BasketModel(config, root.fork('baskets'));
    this.discounts = new DiscountCalendar(config, config.seed);
    this.prices = new PriceBook(config.seed);
    this.channels = new ChannelModel(config.stores, root.fork('channel'));
    this.ids = root.fork('ids');
    this.shipping = root.fork('shipping');
    this.t = from;
  }

  get count(): number {
    return this.produced;
  }

  /** Event time of the next order, without producing it. */
  get nextTime(): number {
    return this.t;
  }

  next(): Order {
    const t = this.t;
    const day = localDay(t, this.config);
    const { customer, returning } = this.customers.next(this.produced);
    this.lastReturning = returning;
    const lines = this.baskets
      .draw(day.kind)
      .map((l) => ({ product: this.prices.entryAt(l.product, t), quantity: l.quantity }));
    const orderId = ulid(t, this.ids);
    const sale = this.channels.draw(day.hour, customer.info.provincial_code);
    const online = sale.channel === 'online';
    // Drawn for every order, so that the shipping stream is the same whatever the channel.
    const shipping = shippingId(this.shipping);
    const express = this.shipping.chance(this.config.expressShare);
    const order = assembleOrder({
      orderId,
      orderDate: t,
      customer: customer.info,
      lines,
      discounts: capAtCostInForce(
        this.discounts.eventOn(day).discounts,
        lines.map((l) => l.product),
        this.config.discounts.allowBelowCost,
      ),
      shippingId: shipping,
      express: online && express,
      // An online order checks out a storefront cart, named from the seed and the order id alone (no
      // draw from the generator's streams); the storefront service writes that cart's events
      // (storefront/). A till sale has no cart.
      cartId: online ? orderCart(this.config.seed, orderId, t).cartId : null,
      channel: sale.channel,
      storeId: sale.store?.store_id ?? null,
    });
    this.produced++;
    this.volume.orderPlaced(this.produced);
    this.t = t + this.volume.nextGap(t);
    return order;
  }
}

/**
 * New orders from `from` (first order exactly then) while their time is before `until` and fewer
 * than `count` were made. Pass `until: Infinity` for an endless (live) stream.
 */
export function* generateOrders(config: GeneratorConfig, clock: Clock): Generator<Order, void, undefined> {
  const { from, until } = resolveWindow(config, clock);
  const limit = config.count ?? Infinity;
  const generator = new OrderGenerator(config, from);
  while (generator.count < limit && generator.nextTime < until) yield generator.next();
}
