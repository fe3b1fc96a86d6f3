import { OrderflowError } from '../common/errors.ts';
import type { Order } from '../schemas/types.generated.ts';

/**
 * What a stage transform decides for one order: it moves on to the stage's success topic, it ends
 * on failed_orders (with `failure` set), or it is finished at once and skips the rest of the chain
 * (a store order paid at the till goes from payment straight to finished_orders).
 */
export type StageOutcome =
  | { kind: 'next'; order: Order }
  | { kind: 'failed'; order: Order }
  | { kind: 'finished'; order: Order };

/** An input order that a stage cannot work on (e.g. shipping an order with no payment_date). */
export function unfitInput(stage: string, order: Order, what: string): OrderflowError {
  return new OrderflowError(
    'ORDERFLOW_INVARIANT_VIOLATED',
    `${stage} cannot process order ${order.order_id}: ${what}`,
  );
}
