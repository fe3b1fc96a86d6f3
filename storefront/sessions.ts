/**
 * The storefront's pure handler: one order from unpaid_orders in, the events of its storefront
 * session out (cart_events, keyed by cart_id, so one cart's events stay in one partition and in
 * order). An order without a cart (placed through the order API) had no session: nothing is
 * written for it. No I/O: the runtime writes the outputs in the transaction that commits the
 * order's offset.
 */
import { emit, type Output, type RecordHandler, type Sink } from '../runtime/types.ts';
import type { CartEvent, Order } from '../schemas/types.generated.ts';
import type { CartModel } from './cart-model.ts';

export function storefrontHandler(model: CartModel, carts: Sink<CartEvent>): RecordHandler<Order> {
  return (order: Order): Output[] =>
    model
      .session(order)
      .events.map((event) => emit(carts, event.cart_id, event, { originTime: order.order_date }));
}
