/**
 * The support desk's ticket model: which finished or failed orders make a customer open a ticket,
 * with what category and description, and when it is resolved. Pure: one order in, its tickets out,
 * every draw seeded by (seed, order_id), every time in event time (UTC ms).
 */
import type { Order } from '../schemas/types.generated.ts';
import { between, chance, digest, pick, supportRng, type RandomGenerator } from './rng.ts';

export const CATEGORIES = [
  'Billing',
  'Technical Support',
  'Account Management',
  'Product Inquiry',
  'Shipping',
  'Returns and Refunds',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What made the customer write. */
export type Trigger = 'timed_out' | 'cancelled' | 'returned' | 'late_delivery' | 'inquiry';

export interface Ticket {
  ticket_id: string;
  /** The order the ticket is about; null for a general inquiry. */
  order_id: string | null;
  customer_id: string;
  customer_name: string;
  email: string;
  phone: string;
  category: Category;
  trigger: Trigger;
  description: string;
  created_at: number;
  /** When support resolved it; null: never (the warehouse's 7-day rule closes it). */
  resolved_at: number | null;
}

export interface TicketRates {
  /** Chance that a customer whose payment timed out writes in. */
  timedOut: number;
  cancelled: number;
  returned: number;
  /** Chance for a delivery that finished after its ETA. */
  lateDelivery: number;
  /** Base rate: chance that an order's customer sends a general inquiry within 10 days. */
  inquiry: number;
}

export const DEFAULT_RATES: TicketRates = {
  timedOut: 0.3,
  cancelled: 0.5,
  returned: 0.8,
  lateDelivery: 0.35,
  inquiry: 0.04,
};

const HOUR = 3_600_000;

/**
 * Resolution per category: the chance a ticket is resolved at all (the rest stay open until the
 * 7-day rule closes them) and the range of hours it takes.
 */
export const RESOLUTION: Record<Category, { resolved: number; minHours: number; maxHours: number }> = {
  Billing: { resolved: 0.9, minHours: 2, maxHours: 72 },
  'Technical Support': { resolved: 0.85, minHours: 1, maxHours: 120 },
  'Account Management': { resolved: 0.95, minHours: 1, maxHours: 48 },
  'Product Inquiry': { resolved: 0.97, minHours: 1, maxHours: 24 },
  Shipping: { resolved: 0.88, minHours: 4, maxHours: 96 },
  'Returns and Refunds': { resolved: 0.8, minHours: 24, maxHours: 160 },
};

const INQUIRIES: readonly [Category, string][] = [
  ['Product Inquiry', 'Asked whether an item comes in another size or colour'],
  ['Product Inquiry', 'Asked when an out-of-stock item is restocked'],
  ['Technical Support', 'Cannot log in to the shop app after an update'],
  ['Technical Support', 'Checkout page does not load on mobile'],
  ['Account Management', 'Wants to change the email address on the account'],
  ['Account Management', 'Asked to close the account'],
  ['Billing', 'Asked for an official receipt with the company name'],
];

export function ticketId(orderOrCustomer: string, trigger: Trigger): string {
  return `TKT-${digest(`${orderOrCustomer}\u0000${trigger}`)}`;
}

/** The moment an order reached its final status (failed_at, or finished_date). */
export function eventTime(order: Order): number {
  return order.failure?.failed_at ?? order.shipping_info.finished_date ?? order.order_date;
}

/** The tickets an order's customer opens, deterministic by (seed, order_id). */
export function ticketsFor(order: Order, seed: number, rates: TicketRates = DEFAULT_RATES): Ticket[] {
  const rng = supportRng(seed, 'tickets', order.order_id);
  const out: Ticket[] = [];
  const status = order.shipping_info.order_status;
  const at = eventTime(order);
  const reason = order.failure?.reason ?? '';
  const make = (
    trigger: Trigger,
    category: Category,
    description: string,
    created: number,
    orderId: string | null,
  ) => out.push(ticket(rng, order, trigger, category, description, created, orderId));
  // Each trigger draws its chance even when it does not apply, so one rate's change leaves the others' draws alone.
  const draws = {
    timedOut: chance(rng),
    cancelled: chance(rng),
    returned: chance(rng),
    late: chance(rng),
    inquiry: chance(rng),
  };
  if (status === 'TIMED_OUT' && draws.timedOut < rates.timedOut) {
    make(
      'timed_out',
      'Billing',
      `Order ${order.order_id}: payment timed out (${reason}); customer says they paid`,
      at + between(rng, 0, 48) * HOUR,
      order.order_id,
    );
  }
  if (status === 'CANCELLED' && draws.cancelled < rates.cancelled) {
    const category = chance(rng) < 0.6 ? 'Returns and Refunds' : 'Billing';
    make(
      'cancelled',
      category,
      `Order ${order.order_id}: cancelled (${reason}); customer asks for the refund`,
      at + between(rng, 1, 36) * HOUR,
      order.order_id,
    );
  }
  if (status === 'RETURNED' && draws.returned < rates.returned) {
    make(
      'returned',
      'Returns and Refunds',
      `Order ${order.order_id}: returned (${reason}); customer asks about the refund`,
      at + between(rng, 0, 24) * HOUR,
      order.order_id,
    );
  }
  const eta = order.shipping_info.eta;
  const finished = order.shipping_info.finished_date;
  if (
    status === 'DELIVERED' &&
    eta !== null &&
    finished !== null &&
    finished > eta &&
    draws.late < rates.lateDelivery
  ) {
    const lateHours = Math.ceil((finished - eta) / HOUR);
    make(
      'late_delivery',
      'Shipping',
      `Order ${order.order_id}: delivered ${lateHours} h after its ETA`,
      finished + between(rng, 0, 24) * HOUR,
      order.order_id,
    );
  }
  if (draws.inquiry < rates.inquiry) {
    const [category, text] = pick(rng, INQUIRIES);
    make('inquiry', category, text, order.order_date + between(rng, 1, 240) * HOUR, null);
  }
  return out;
}

function ticket(
  rng: RandomGenerator,
  order: Order,
  trigger: Trigger,
  category: Category,
  description: string,
  created: number,
  orderId: string | null,
): Ticket {
  const r = RESOLUTION[category];
  const createdAt = created + between(rng, 0, 59) * 60_000;
  const resolved = chance(rng) < r.resolved;
  const hours = between(rng, r.minHours * 60, r.maxHours * 60) / 60;
  const c = order.customer_info;
  return {
    // An inquiry is the customer's, not the order's: its id still comes from the order that drew it.
    ticket_id: ticketId(order.order_id, trigger),
    order_id: orderId,
    customer_id: c.customer_id,
    customer_name: c.customer_name,
    email: c.email,
    phone: c.contact_number,
    category,
    trigger,
    description,
    created_at: createdAt,
    resolved_at: resolved ? createdAt + Math.round(hours * HOUR) : null,
  };
}
