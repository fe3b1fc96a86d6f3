/**
 * The storefront's rates, each with where it comes from (storefront/cart-model.ts reads only this
 * object). Pure data: no I/O.
 */
import { ORDER_CART_SESSION_MINUTES } from '../common/cart-identity.ts';
import {
  MONTH_END_DAYS,
  PAYDAY_DAYS,
  SHOP_UTC_OFFSET_MINUTES,
  type CalendarRules,
} from '../reference/calendar.ts';

export type Range = readonly [min: number, max: number];

export interface StorefrontConfig extends CalendarRules {
  /**
   * Share of carts never checked out. Baymard Institute, "Cart Abandonment Rate Statistics"
   * (baymard.com/lists/cart-abandonment-rate): the average of 49 documented studies is 70.19%.
   */
  abandonmentRate: number;
  /**
   * Share of storefront sessions that add something to a cart (the add-to-cart rate); the others
   * only browse. E-commerce benchmarks (e.g. Dynamic Yield's and Littledata's published
   * add-to-cart rates) put it at about 6-10% of sessions; 8% here.
   */
  addToCartRate: number;
  /** Mean views of a product's page before it is added (at least 1): "several views per added item". */
  viewsPerAdd: number;
  /**
   * Chance that a line added to a cart is taken out again before the cart ends (on a checked-out
   * cart: a further product added, then removed). An assumption: no public benchmark found.
   */
  removalRate: number;
  /** Weights of 1..n lines in an abandoned cart (smaller than the baskets that are bought). */
  abandonedLineWeights: readonly number[];
  /**
   * More browsing per purchase in the evening and on paydays: abandoned carts before an order are
   * multiplied by these factors when the order falls at local hours [from, to] or on a payday sale
   * day (Filipino shoppers browse after work; payday traffic outgrows payday sales). Normalised by
   * the shares of orders at those times, so the overall abandonment rate stays `abandonmentRate`.
   */
  eveningHours: Range;
  eveningBrowsing: number;
  paydayBrowsing: number;
  /**
   * Shares of the generator's orders in the evening hours and on payday sale days (measured on the
   * two-year default run: 0.376/0.125 with seed 7, 0.378/0.124 with 8, 0.385/0.119 with 9;
   * test/unit/storefront/cart-model.test.ts checks them), for the
   * normalisation.
   */
  eveningOrderShare: number;
  paydayOrderShare: number;
  /**
   * Hours before an order in which its customer's abandoned carts open: a shopper's earlier visits
   * on the day of the purchase. Each abandoned cart ends before the order.
   */
  abandonedWindowHours: number;
  /** Minutes from a cart's creation to its last event (the order's own cart: common/cart-identity.ts). */
  sessionMinutes: Range;
  /** A cart not checked out within this many hours is abandoned (the warehouse uses the same rule). */
  expiryHours: number;
  /**
   * Share of the abandoned carts before an order that the customer opened signed in (the cart names
   * them); the rest were guest sessions (no customer on the cart).
   */
  knownCustomerShare: number;
}

export const DEFAULT_STOREFRONT: StorefrontConfig = {
  utcOffsetMinutes: SHOP_UTC_OFFSET_MINUTES,
  gaps: { paydayDays: PAYDAY_DAYS, monthEndDays: MONTH_END_DAYS },
  abandonmentRate: 0.7,
  addToCartRate: 0.08,
  viewsPerAdd: 3,
  removalRate: 0.1,
  abandonedLineWeights: [50, 27, 13, 7, 3],
  eveningHours: [18, 23],
  eveningBrowsing: 1.3,
  paydayBrowsing: 1.25,
  eveningOrderShare: 0.38,
  paydayOrderShare: 0.12,
  abandonedWindowHours: 6,
  sessionMinutes: ORDER_CART_SESSION_MINUTES,
  expiryHours: 24,
  knownCustomerShare: 0.55,
};
