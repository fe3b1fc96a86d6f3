/**
 * The lifecycle invariants every order must satisfy (docs/design.md section 6), as one pure check that
 * returns the list of violations (empty = valid). Processors call it on every record they emit,
 * so it allocates nothing on the happy path: no regexes, no BigInt unless a value is too large for
 * exact float arithmetic, and message strings only for actual violations.
 *
 * Checked: dates in order (order_date <= payment_date <= shipped_date <= finished_date), eta after
 * payment_date, each subtotal = round(unit_price x quantity x (1 - discount_percent / 100), 2),
 * order_total = sum of subtotals, item_variety = number of lines, distinct SKUs, the fields each
 * status requires or forbids, and failure set exactly on failed orders with a fitting stage.
 * Since schema 0.4.0 also: each line's vat_amount = the VAT its VAT-inclusive subtotal holds at its
 * vat_rate, vat_total = their sum, and the channel rules: a store order has a known store, no cart,
 * no shipping (no shipped_date, no eta, not express), is paid at the till (a tender, no online
 * payment_method) and is finished when paid; an online order has no store and no tender.
 */
import { subtotalCents } from '../common/money.ts';
import { channelRules, vatRules } from './channel-vat-rules.ts';
import { parseScaled } from './parse-scaled.ts';
import type { Order, OrderStatus, Stage } from './types.generated.ts';
import { beginCheck, endCheck, fail, requireNull, requireSet, type Violation } from './violations.ts';

export { parseScaled } from './parse-scaled.ts';
export type { Violation } from './violations.ts';

/** Where in the chain a record sits: the topic it is read from or written to. */
export type LifecycleStage = 'unpaid' | 'paid' | 'shipped' | 'finished' | 'failed';

const STATUSES_AT: Record<LifecycleStage, readonly OrderStatus[]> = {
  unpaid: ['PROCESSING'],
  paid: ['PROCESSING'],
  shipped: ['SHIPPED'],
  finished: ['DELIVERED'],
  failed: ['TIMED_OUT', 'CANCELLED', 'RETURNED'],
};

const FAILURE_STATUSES: ReadonlySet<OrderStatus> = new Set(['TIMED_OUT', 'CANCELLED', 'RETURNED']);
const FAILURE_STAGES: Record<'TIMED_OUT' | 'CANCELLED' | 'RETURNED', readonly Stage[]> = {
  TIMED_OUT: ['payment'],
  CANCELLED: ['shipping', 'delivery'],
  RETURNED: ['delivery'],
};

// Per-call state of checkOrder (see violations.ts for why module-level state is safe here).
let lastName = '';
let last = 0;
let currentStatus: OrderStatus = 'PROCESSING';

/** The next date of the lifecycle (if set) is not before the previous set one. */
function after(name: string, t: number | null): void {
  if (t === null) return;
  if (t < last) fail(name, `${name} ${fmt(t)} is before ${lastName} ${fmt(last)}`);
  lastName = name;
  last = t;
}

/**
 * shipped_date set or null as `shipped` says (with its reason), then finished_date set or null as
 * `finished` says ("a <status> order is finished" / "is not finished").
 */
function shippingDates(
  ship: Order['shipping_info'],
  [shipped, shippedWhy]: [boolean, string],
  finished: boolean,
): void {
  (shipped ? requireSet : requireNull)('shipping_info.shipped_date', ship.shipped_date, shippedWhy);
  (finished ? requireSet : requireNull)(
    'shipping_info.finished_date',
    ship.finished_date,
    `a ${currentStatus} order is ${finished ? '' : 'not '}finished`,
  );
}

function requirePaid(order: Order): void {
  const pay = order.payment_info;
  const status = currentStatus;
  if (!pay.payment_status) fail('payment_info.payment_status', `a ${status} order must be paid`);
  if (pay.payment_date === null) fail('payment_info.payment_date', `a ${status} order has a payment_date`);
  if (order.channel === 'store') {
    if (pay.tender === null) fail('payment_info.tender', `a paid store order has a tender`);
    return;
  }
  if (pay.payment_method === null)
    fail('payment_info.payment_method', `a ${status} order has a payment_method`);
  if (order.shipping_info.eta === null) fail('shipping_info.eta', `a ${status} order has an eta`);
}

/** An order that is not paid (yet, or ever): no payment date, no payment method, for the reason given. */
function requireUnpaid(order: Order, why: string): void {
  requireNull('payment_info.payment_date', order.payment_info.payment_date, why);
  requireNull('payment_info.payment_method', order.payment_info.payment_method, why);
}

/** round(cents x qty x (10000 - discount) / 10000), half away from zero, exact. */
function expectedSubtotal(priceCents: number, quantity: number, discountHundredths: number): number {
  const numerator = priceCents * quantity * (10000 - discountHundredths);
  if (Number.isSafeInteger(numerator) && numerator >= 0) {
    const q = Math.floor(numerator / 10000);
    return numerator - q * 10000 >= 5000 ? q + 1 : q;
  }
  return subtotalCents(priceCents, quantity, discountHundredths);
}

function fmt(t: number | null): string {
  return t === null ? 'null' : new Date(t).toISOString();
}

/**
 * The invariants `order` violates (empty when it is valid). With `stage`, also check that the
 * status is one that belongs on that stage's topic (e.g. only DELIVERED on finished_orders).
 */
export function checkOrder(order: Order, stage?: LifecycleStage): readonly Violation[] {
  beginCheck();
  const pay = order.payment_info;
  const ship = order.shipping_info;
  const status = ship.order_status;
  currentStatus = status;

  // --- dates in lifecycle order (skipping dates not yet set) ---
  lastName = 'order_date';
  last = order.order_date;
  after('payment_info.payment_date', pay.payment_date);
  after('shipping_info.shipped_date', ship.shipped_date);
  after('shipping_info.finished_date', ship.finished_date);
  if (ship.eta !== null && pay.payment_date !== null && !(ship.eta > pay.payment_date)) {
    fail('shipping_info.eta', `eta ${fmt(ship.eta)} is not after payment_date ${fmt(pay.payment_date)}`);
  }

  // --- money and lines ---
  const items = order.item_info;
  if (items.length === 0) fail('item_info', 'an order has at least one line');
  if (order.item_variety !== items.length) {
    fail('item_variety', `item_variety is ${order.item_variety} but item_info has ${items.length} lines`);
  }
  let total = 0;
  let totalValid = true;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    for (let j = 0; j < i; j++) {
      if (items[j]!.sku === item.sku) {
        fail(`item_info[${i}].sku`, `SKU ${item.sku} appears more than once (lines ${j} and ${i})`);
        break;
      }
    }
    const price = parseScaled(item.unit_price);
    const discount = parseScaled(item.discount_percent);
    const subtotal = parseScaled(item.subtotal);
    if (!(item.quantity >= 1) || !Number.isInteger(item.quantity)) {
      fail(`item_info[${i}].quantity`, `quantity ${item.quantity} is not a positive integer`);
    }
    if (Number.isNaN(price) || price < 0)
      fail(
        `item_info[${i}].unit_price`,
        `unit_price ${item.unit_price} is not a non-negative 2-decimal amount`,
      );
    if (Number.isNaN(discount) || discount < 0 || discount > 10000) {
      fail(
        `item_info[${i}].discount_percent`,
        `discount_percent ${item.discount_percent} is not between 0 and 100`,
      );
    }
    if (Number.isNaN(subtotal)) {
      fail(`item_info[${i}].subtotal`, `subtotal ${item.subtotal} is not a 2-decimal amount`);
      totalValid = false;
      continue;
    }
    total += subtotal;
    if (!Number.isNaN(price) && !Number.isNaN(discount) && item.quantity >= 1) {
      const expected = expectedSubtotal(price, item.quantity, discount);
      if (expected !== subtotal) {
        fail(
          `item_info[${i}].subtotal`,
          `subtotal ${item.subtotal} != round(${item.unit_price} x ${item.quantity} x (1 - ${item.discount_percent}/100), 2) = ${(expected / 100).toFixed(2)}`,
        );
      }
    }
  }
  const orderTotal = parseScaled(order.order_total);
  if (Number.isNaN(orderTotal))
    fail('order_total', `order_total ${order.order_total} is not a 2-decimal amount`);
  else if (totalValid && orderTotal !== total) {
    fail('order_total', `order_total ${order.order_total} != sum of subtotals ${(total / 100).toFixed(2)}`);
  }

  // --- status and dates agree ---
  const paid = pay.payment_status;
  switch (status) {
    case 'PROCESSING':
      if (paid) requirePaid(order);
      else {
        requireUnpaid(order, 'an unpaid order has no payment yet');
        requireNull('shipping_info.eta', ship.eta, 'the eta is set when the order is paid');
      }
      shippingDates(ship, [false, 'a PROCESSING order has not shipped'], false);
      break;
    case 'SHIPPED':
      requirePaid(order);
      shippingDates(ship, [true, 'a SHIPPED order has shipped'], false);
      break;
    case 'DELIVERED':
      requirePaid(order);
      if (order.channel === 'store') shippingDates(ship, [false, 'a store order has no shipping leg'], true);
      else shippingDates(ship, [true, 'a DELIVERED order has shipped'], true);
      break;
    case 'TIMED_OUT':
      if (paid) fail('payment_info.payment_status', 'a TIMED_OUT order was never paid');
      requireUnpaid(order, 'a TIMED_OUT order was never paid');
      shippingDates(ship, [false, 'a TIMED_OUT order never shipped'], true);
      break;
    case 'CANCELLED':
      requirePaid(order);
      requireSet('shipping_info.finished_date', ship.finished_date, 'a CANCELLED order is finished');
      if (order.failure?.stage === 'shipping') {
        requireNull(
          'shipping_info.shipped_date',
          ship.shipped_date,
          'an order cancelled at shipping never shipped',
        );
      } else if (order.failure?.stage === 'delivery') {
        requireSet(
          'shipping_info.shipped_date',
          ship.shipped_date,
          'an order cancelled at delivery had shipped',
        );
      }
      break;
    case 'RETURNED':
      requirePaid(order);
      shippingDates(ship, [true, 'a RETURNED order had shipped'], true);
      break;
    default:
      fail('shipping_info.order_status', `unknown order_status ${String(status)}`);
  }

  channelRules(order);
  vatRules(order);

  // --- failure set exactly on failed orders ---
  const failure = order.failure;
  if (FAILURE_STATUSES.has(status)) {
    if (failure === null) fail('failure', `a ${status} order carries a failure record`);
    else {
      const allowed = FAILURE_STAGES[status as keyof typeof FAILURE_STAGES];
      if (!allowed.includes(failure.stage)) {
        fail(
          'failure.stage',
          `a ${status} order cannot fail at stage ${failure.stage} (expected ${allowed.join(' or ')})`,
        );
      }
      if (failure.failed_at < order.order_date) {
        fail(
          'failure.failed_at',
          `failed_at ${fmt(failure.failed_at)} is before order_date ${fmt(order.order_date)}`,
        );
      }
    }
  } else if (failure !== null) {
    fail('failure', `a ${status} order must not carry a failure record`);
  }

  if (stage !== undefined) {
    if (!STATUSES_AT[stage].includes(status)) {
      fail(
        'shipping_info.order_status',
        `status ${status} does not belong on the ${stage} stage (expected ${STATUSES_AT[stage].join(', ')})`,
      );
    }
    if (stage === 'unpaid' && paid)
      fail('payment_info.payment_status', 'an order on the unpaid stage is not paid yet');
    if (stage === 'paid' && !paid)
      fail('payment_info.payment_status', 'an order on the paid stage has been paid');
    if ((stage === 'paid' || stage === 'shipped') && order.channel === 'store')
      fail('channel', `a store order skips the ${stage} stage (paid at the till, finished at once)`);
  }

  return endCheck();
}

/** A one-line summary of violations, for logs and DLQ headers. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.field}: ${v.message}`).join('; ');
}
