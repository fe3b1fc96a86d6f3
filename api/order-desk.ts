/**
 * Placing and looking up orders: the request checked (order-request.ts), the order written once
 * per Idempotency-Key (order-writer.ts), its state read from the view (order-view.ts).
 *
 * Idempotency, and why it survives a restart: the order id is a function of the key (and the
 * topic prefix), so a retry names the same order without any stored mapping. Whether that order
 * exists is what the lifecycle topics say: the view reads them from the beginning, read_committed,
 * before the API answers (the local stack keeps topics forever: log.retention.hours=-1), and the
 * producer's connect, done before that read, has aborted any transaction a crashed predecessor
 * left open. So after a restart a key whose order committed finds it, and a key whose order did
 * not commit places it. Within the process, a key being placed is held until its write ends (a
 * concurrent retry waits for it), and a committed order is put into the view at once, before its
 * record comes back from Kafka. One API per pipeline writes (the transactional id fences a
 * second), so no other process can place the same key in between. The same key with another
 * order (customer, lines or express flag) is refused with 409 rather than answered with the first.
 */
import type { PriceBook } from '../reference/price-schedule.ts';
import { OrderflowError } from '../common/errors.ts';
import { checkOrder } from '../schemas/invariants.ts';
import type { Order } from '../schemas/types.generated.ts';
import {
  assembleOrder,
  orderFingerprint,
  orderIdFor,
  parseIdempotencyKey,
  parseOrderRequest,
  type FieldIssue,
} from './order-request.ts';
import { isFinal, statusBody, type OrderState, type OrderStatusBody } from './order-state.ts';
import type { OrderView } from './order-view.ts';
import type { OrderWriter } from './order-writer.ts';

export function invalidRequest(issues: FieldIssue[]): OrderflowError {
  const first = issues[0]!;
  return new OrderflowError('ORDERFLOW_REQUEST_INVALID', `${first.field} ${first.message}`, {
    context: { field: first.field, issues },
  });
}

export interface Placed {
  /** false: the key had placed this order before (nothing written now). */
  created: boolean;
  body: OrderStatusBody;
}

export class OrderDesk {
  private readonly placing = new Map<string, Promise<Order>>();

  constructor(
    private readonly o: {
      view: OrderView;
      writer: OrderWriter;
      topicPrefix: string;
      now: () => number;
      prices: PriceBook;
    },
  ) {}

  async place(keyHeader: string | string[] | undefined, body: string): Promise<Placed> {
    const key = parseIdempotencyKey(keyHeader);
    const request = parseOrderRequest(body);
    const issues = [...(key.ok ? [] : key.issues), ...(request.ok ? [] : request.issues)];
    if (!key.ok || !request.ok) throw invalidRequest(issues);
    const orderId = orderIdFor(this.o.topicPrefix, key.value);
    // The order as this request describes it; its date is only used if it is placed now.
    const order = assembleOrder(request.value, orderId, this.o.now(), this.o.prices);

    // A write of this key in progress ends first (whichever way), then the view decides.
    for (let earlier = this.placing.get(orderId); earlier; earlier = this.placing.get(orderId))
      await earlier.catch(() => undefined);
    const known = this.o.view.get(orderId);
    if (known) {
      if (known.fingerprint !== undefined && known.fingerprint !== orderFingerprint(order))
        throw new OrderflowError(
          'ORDERFLOW_IDEMPOTENCY_CONFLICT',
          `Idempotency-Key ${JSON.stringify(key.value)} already placed order ${orderId} with other contents (customer, lines or express shipping): use a new key for a new order`,
          { context: { field: 'Idempotency-Key', orderId } },
        );
      return { created: false, body: statusBody(orderId, known.state, known.order) };
    }

    const violations = checkOrder(order, 'unpaid');
    if (violations.length > 0)
      throw new Error(
        `the API assembled an order that breaks the invariants: ${violations.map((v) => v.message).join('; ')}`,
      );
    const writing = this.o.writer.write(order).then(async (value) => {
      await this.o.view.recordWritten(orderId, value, order);
      return order;
    });
    this.placing.set(orderId, writing);
    try {
      await writing;
    } finally {
      if (this.placing.get(orderId) === writing) this.placing.delete(orderId);
    }
    return { created: true, body: statusBody(orderId, 'UNPAID', order) };
  }

  /** The order's state now, or (wait > 0) once it differs from now, within `waitSeconds`. */
  async status(orderId: string, waitSeconds: number, cancel: AbortSignal): Promise<OrderStatusBody> {
    const now = this.lookUp(orderId);
    // A final state never changes: no reason to hold the request.
    if (!isFinal(now.state)) await this.o.view.waitForChange(orderId, now.state, waitSeconds * 1000, cancel);
    const after = this.lookUp(orderId);
    return statusBody(orderId, after.state, after.order);
  }

  private lookUp(orderId: string): { state: OrderState; order: Order | null } {
    const known = this.o.view.get(orderId);
    if (!known)
      throw new OrderflowError(
        'ORDERFLOW_ORDER_NOT_FOUND',
        `no order ${orderId} in the lifecycle topics${this.o.topicPrefix ? ` of prefix ${this.o.topicPrefix}` : ''} (ids are returned by POST /v1/orders)`,
        { context: { orderId } },
      );
    return known;
  }
}
