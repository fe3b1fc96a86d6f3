/**
 * The cart an online order checks out, named from the order alone: the generator stamps its id on
 * the order, and the storefront service, which writes that cart's events later, finds the same id
 * and the same creation time. Both come from a generator keyed by (seed, order_id), so neither
 * depends on any other order, on the order of processing, or on the generator's own streams.
 *
 * The id is a ULID (as order_id): 48 bits of the cart's creation time, then 80 seeded bits.
 * Pure: no clock, no I/O.
 */
import { chance, seededRng } from './seeded-rng.ts';
import { ulid } from './ulid.ts';

const MINUTE = 60_000;

/**
 * Minutes from an order's cart being opened to its checkout (the order time), inclusive. The
 * storefront's sessions are the same length (storefront/config.ts reads this range).
 */
export const ORDER_CART_SESSION_MINUTES: readonly [min: number, max: number] = [3, 45];

export interface OrderCart {
  cartId: string;
  /** When the cart was created (UTC ms): 3 to 45 minutes before the order. */
  createdAt: number;
}

/** The cart of the order `orderId` placed at `orderDate` in the run seeded `seed`. */
export function orderCart(seed: number, orderId: string, orderDate: number): OrderCart {
  const rng = seededRng(`${seed}/cart/${orderId}`);
  const [min, max] = ORDER_CART_SESSION_MINUTES;
  const span = (max - min) * MINUTE + 1;
  const createdAt = orderDate - (min * MINUTE + Math.floor(chance(rng) * span));
  return { cartId: cartUlid(createdAt, () => chance(rng)), createdAt };
}

/** A cart id: a ULID of `timeMs` whose 80 random bits come from `float` (uniform in [0, 1)). */
export function cartUlid(timeMs: number, float: () => number): string {
  return ulid(timeMs, () => Math.floor(float() * 32));
}
