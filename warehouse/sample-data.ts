import { fromCents, subtotalCents } from '../common/money.ts';
import { isOpen, STORES, type Store } from '../reference/stores.ts';
import { includedVatCents, VAT_RULES, VatTable } from '../reference/vat.ts';
import type { Customers, OrderItems, Orders } from '../schemas/types.generated.ts';
import type { LocationRow, ProductRow, StoreRow, VatRuleRow } from './reference-data.ts';

/**
 * A seeded, self-consistent set of landing rows (what the sink would write) for tests and for
 * measuring the views. Not the product's generator: a small stand-in that obeys the lifecycle
 * invariants, has repeat customers who move, failures at every stage, and baskets with structure.
 * Every row is of schema 0.4.0: a channel, and VAT on every line at the rate in force
 * (reference/vat.ts) where the sale is made. With `storeShare` > 0, that share of the orders placed
 * while a store is open are sales at a till (reference/stores.ts): paid with a tender, delivered at
 * once, never shipped.
 */
export interface SampleData {
  products: readonly ProductRow[];
  locations: readonly LocationRow[];
  stores: readonly StoreRow[];
  vatRules: readonly VatRuleRow[];
  orders: Orders[];
  items: OrderItems[];
  /** One row per order, in the order the sink would deliver them (finish time, not order time). */
  customers: Customers[];
}

export interface SampleOptions {
  seed: number;
  orders: number;
  /** First order time (UTC ms) and the span the orders cover. */
  start: number;
  days: number;
  customers: number;
  /** Probability that a returning customer has moved (new address, LGU and email) since last time. */
  moveRate?: number;
  products?: readonly ProductRow[];
  locations?: readonly LocationRow[];
  /**
   * Share (0-1) of the orders placed while at least one store is open that are store orders (default
   * 0: every order online). Drawn from a stream of its own, so the online orders' other fields are
   * those of a sample without stores.
   */
  storeShare?: number;
}

/** The payment stage's tender mix at the till (docs/design.md): cumulative shares. */
const TENDERS: readonly (readonly [number, string])[] = [
  [0.46, 'CASH'],
  [0.6, 'DEBIT_CARD'],
  [0.72, 'CREDIT_CARD'],
  [1, 'DIGITAL_WALLET'],
];
const MANILA_OFFSET = 8 * 3_600_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: small, fast and good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SAMPLE_PRODUCTS: ProductRow[] = Array.from({ length: 55 }, (_, i) => {
  const sku = i + 1;
  const priceCents =
    sku <= 22 ? 2500 + sku * 3700 : sku <= 42 ? 100000 + (sku - 22) * 5000 : 210000 + (sku - 42) * 10000;
  const costCents = Math.round(priceCents * (0.35 + (sku % 9) * 0.05));
  return {
    sku,
    name: `Product ${sku}`,
    category: ['Pantry', 'Snacks', 'Home', 'Gadgets', 'Beauty'][sku % 5]!,
    price: fromCents(priceCents),
    cost: fromCents(costCents),
  };
});

export const SAMPLE_LOCATIONS: LocationRow[] = [
  { lgu: 'Makati', provincial_code: 'PH-00', tier: 'metro_manila' },
  { lgu: 'Quezon City', provincial_code: 'PH-00', tier: 'metro_manila' },
  { lgu: 'Cebu', provincial_code: 'PH-CEB', tier: 'large' },
  { lgu: 'Davao del Sur', provincial_code: 'PH-DAS', tier: 'large' },
  { lgu: 'Iloilo', provincial_code: 'PH-ILI', tier: 'large' },
  { lgu: 'Bohol', provincial_code: 'PH-BOH', tier: 'medium' },
  { lgu: 'Aklan', provincial_code: 'PH-AKL', tier: 'small' },
  { lgu: 'Sulu', provincial_code: 'PH-SLU', tier: 'poor' },
];

export function sampleData(options: SampleOptions): SampleData {
  const random = rng(options.seed);
  const products = options.products ?? SAMPLE_PRODUCTS;
  const locations = options.locations ?? SAMPLE_LOCATIONS;
  const moveRate = options.moveRate ?? 0.15;
  const storeShare = options.storeShare ?? 0;
  // The channel's own stream: three draws per order whatever the outcome.
  const till = rng(options.seed ^ 0x57015);
  const vat = new VatTable(VAT_RULES);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

  interface Person {
    id: string;
    name: string;
    email: string;
    street: string;
    location: LocationRow;
    moves: number;
  }
  const people: Person[] = Array.from({ length: options.customers }, (_, i) => ({
    id: `c-${options.seed}-${i}`,
    name: `Customer ${i}`,
    email: `customer${i}@example.ph`,
    street: `${between(1, 999)} Rizal Street`,
    location: pick(locations),
    moves: 0,
  }));
  const seen = new Set<string>();

  const orders: Orders[] = [];
  const items: OrderItems[] = [];
  const customers: { row: Customers; deliveredAt: number }[] = [];
  // Order times: sorted uniform draws over the span, so volume is steady and ids follow time.
  const times = Array.from(
    { length: options.orders },
    () => options.start + Math.floor(random() * options.days * DAY),
  ).sort((a, b) => a - b);

  times.forEach((orderDate, n) => {
    const orderId = `o-${options.seed}-${String(n).padStart(6, '0')}`;
    // Skewed choice: low-numbered customers come back often.
    const person = people[Math.floor(people.length * random() ** 2)]!;
    if (seen.has(person.id) && random() < moveRate) {
      person.moves += 1;
      person.street = `${between(1, 999)} Mabini Street`;
      person.location = pick(locations);
      if (random() < 0.5) person.email = `customer.${person.id}.${person.moves}@example.ph`;
    }
    seen.add(person.id);

    const local = orderDate + MANILA_OFFSET;
    const [isStore, storeDraw, tenderDraw] = [till() < storeShare, till(), till()];
    const open = STORES.filter((st) => isOpen(st, new Date(local).getUTCHours()));
    const store: Store | null = isStore && open.length > 0 ? weighted(open, storeDraw) : null;
    const saleProvince = store?.provincial_code ?? person.location.provincial_code;
    const saleDay = new Date(local).toISOString().slice(0, 10);
    let vatCents = 0;

    // Basket: 1-4 distinct SKUs; SKU pairs (k, k+1) travel together half the time.
    const skus = new Set<number>();
    const first = pick(products).sku;
    skus.add(first);
    if (random() < 0.5 && products.some((p) => p.sku === first + 1)) skus.add(first + 1);
    const extra = between(0, 2);
    for (let i = 0; i < extra; i++) skus.add(pick(products).sku);
    let totalCents = 0;
    const lines: OrderItems[] = [];
    for (const sku of [...skus].sort((a, b) => a - b)) {
      const p = products.find((x) => x.sku === sku)!;
      const priceCents = Math.round(Number(p.price) * 100);
      const quantity = between(1, 5);
      const drawn = pick([0, 0, 0, 1000, 2500, 3350]);
      // A sale never prices a line below its cost (warehouse check's "no line sold below cost in
      // force", which applies once the catalogue has landed as the shop's change stream would).
      const costCents = Math.round(Number(p.cost) * 100);
      const discount = subtotalCents(priceCents, quantity, drawn) < costCents * quantity ? 0 : drawn;
      const sub = subtotalCents(priceCents, quantity, discount);
      totalCents += sub;
      const rate = vat.rateHundredths(saleProvince, p.category, saleDay);
      const lineVat = includedVatCents(sub, rate);
      vatCents += lineVat;
      lines.push({
        item_id: `${orderId}-${sku}`,
        order_id: orderId,
        order_date: orderDate,
        order_status: null,
        sku,
        product_name: p.name,
        category: p.category,
        unit_price: fromCents(priceCents),
        quantity,
        discount_percent: fromCents(discount),
        subtotal: fromCents(sub),
        vat_rate: fromCents(rate),
        vat_amount: fromCents(lineVat),
      });
    }

    const express = random() < 0.4;
    const order: Orders = {
      order_id: orderId,
      order_date: orderDate,
      customer_id: person.id,
      lgu: person.location.lgu,
      provincial_code: person.location.provincial_code,
      payment_status: false,
      payment_method: null,
      payment_date: null,
      shipping_id: `s-${orderId}`,
      express_shipping: express,
      order_status: 'TIMED_OUT',
      shipped_date: null,
      eta: null,
      finished_date: null,
      item_variety: lines.length,
      order_total: fromCents(totalCents),
      failure_stage: null,
      failure_reason: null,
      failed_at: null,
      cart_id: null,
      channel: 'online',
      store_id: null,
      tender: null,
      vat_total: fromCents(vatCents),
    };
    const fail = (stage: string, reason: string, status: string, at: number) => {
      order.order_status = status;
      order.finished_date = at;
      order.failure_stage = stage;
      order.failure_reason = reason;
      order.failed_at = at;
    };
    if (random() < 0.2) {
      fail('payment', 'payment not received in 7 days', 'TIMED_OUT', orderDate + 7 * DAY);
    } else {
      const paid = random() < 0.6 ? orderDate : orderDate + between(1, 71) * HOUR;
      order.payment_status = true;
      order.payment_method = pick(['CREDIT_CARD', 'BANK_TRANSFER', 'BANK_TRANSFER', 'DIGITAL_WALLET']);
      order.payment_date = paid;
      order.eta = paid + (express ? between(3, 5) : between(5, 10)) * DAY + between(0, 23) * HOUR;
      if (random() < 0.05) {
        fail(
          'shipping',
          pick(['out of stock', 'address unreachable']),
          'CANCELLED',
          paid + between(6, 54) * HOUR,
        );
      } else {
        const shipped = paid + (express ? between(12, 36) : between(24, 60)) * HOUR;
        order.shipped_date = shipped;
        const finished = Math.max(shipped + HOUR, order.eta + between(-48, 36) * HOUR);
        const roll = random();
        if (roll < 0.035) fail('delivery', 'refused at the door', 'CANCELLED', finished);
        else if (roll < 0.05) fail('delivery', 'damaged in transit', 'RETURNED', finished);
        else {
          order.order_status = 'DELIVERED';
          order.finished_date = finished;
        }
      }
    }
    if (store !== null) {
      // A sale at the till (the payment stage's store rule): paid as placed, handed over there.
      Object.assign(order, {
        channel: 'store',
        store_id: store.store_id,
        tender: TENDERS.find(([upTo]) => tenderDraw < upTo)![1],
        payment_status: true,
        payment_method: null,
        payment_date: orderDate,
        express_shipping: false,
        order_status: 'DELIVERED',
        shipped_date: null,
        eta: null,
        finished_date: orderDate,
        failure_stage: null,
        failure_reason: null,
        failed_at: null,
      });
    }
    for (const line of lines) line.order_status = order.order_status;
    orders.push(order);
    items.push(...lines);
    customers.push({
      deliveredAt: order.finished_date!,
      row: {
        customer_id: person.id,
        customer_name: person.name,
        company: 'Sari-sari Store',
        email: person.email,
        street_address: person.street,
        lgu: person.location.lgu,
        provincial_code: person.location.provincial_code,
        contact_number: '+63 917 000 0000',
        last_order_id: orderId,
        as_of: orderDate,
      },
    });
  });

  return {
    products,
    locations,
    stores: STORES,
    vatRules: VAT_RULES,
    orders,
    items,
    customers: customers.sort((a, b) => a.deliveredAt - b.deliveredAt).map((c) => c.row),
  };
}

/** The store that `draw` (0-1) falls on, by the stores' weights. */
function weighted(stores: readonly Store[], draw: number): Store {
  const total = stores.reduce((sum, st) => sum + st.weight, 0);
  let at = draw * total;
  for (const st of stores) {
    at -= st.weight;
    if (at < 0) return st;
  }
  return stores[stores.length - 1]!;
}
