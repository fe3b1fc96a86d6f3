// Generated from schemas/*.avsc by schemas/codegen.ts. Do not edit: run `npx tsx schemas/codegen.ts`.

export interface CustomerInfo {
  /** Stable per customer across all their orders. */
  customer_id: string;
  customer_name: string;
  company: string;
  /** May change over time for a repeat customer. */
  email: string;
  /** May change when a repeat customer moves. */
  street_address: string;
  /** Local government unit: a Metro Manila city or a province. */
  lgu: string;
  /** ISO 3166-2 code of the province (PH-00 for Metro Manila). */
  provincial_code: string;
  contact_number: string;
}

export type PaymentMethod = 'CREDIT_CARD' | 'BANK_TRANSFER' | 'DIGITAL_WALLET';

export type Tender = 'CASH' | 'DEBIT_CARD' | 'CREDIT_CARD' | 'DIGITAL_WALLET';

export interface PaymentInfo {
  payment_status: boolean;
  /** Online orders: null while unpaid. Store orders: always null (see tender), so a reader on a schema before 0.4.0 can still read them. CREDIT_CARD = Credit Card, BANK_TRANSFER = Bank Transfer, DIGITAL_WALLET = Digital Wallet. */
  payment_method: null | PaymentMethod;
  payment_date: null | number;
  /** How a store order was paid at the till (channel store); null online, where payment_method says it. Since 0.4.0. */
  tender: null | Tender;
}

export type OrderStatus = 'PROCESSING' | 'SHIPPED' | 'DELIVERED' | 'TIMED_OUT' | 'CANCELLED' | 'RETURNED';

export interface ShippingInfo {
  shipping_id: string;
  express_shipping: boolean;
  /** Processing, Shipped, Delivered, Timed Out, Cancelled or Returned. */
  order_status: OrderStatus;
  shipped_date: null | number;
  eta: null | number;
  finished_date: null | number;
}

export interface OrderItem {
  sku: number;
  product_name: string;
  category: string;
  /** List price in PHP, VAT included. */
  unit_price: string;
  quantity: number;
  discount_percent: string;
  /** round(unit_price x quantity x (1 - discount_percent/100), 2). */
  subtotal: string;
  /** VAT rate in percent that applies to this line (reference/vat.ts: province, category and date); 0.00 when exempt. Null before 0.4.0. */
  vat_rate: null | string;
  /** VAT included in the subtotal (prices are VAT-inclusive): round(subtotal x vat_rate / (100 + vat_rate), 2). Null before 0.4.0. */
  vat_amount: null | string;
}

export type Stage = 'payment' | 'shipping' | 'delivery';

export interface Failure {
  stage: Stage;
  reason: string;
  failed_at: number;
}

export type Channel = 'online' | 'store';

/** One order at every stage of its lifecycle: unpaid, paid, shipped, finished or failed. Keyed by order_id. */
export interface Order {
  /** Unique across runs: a ULID drawn from the seeded generator and the order's event time. */
  order_id: string;
  /** When the order was placed (UTC event time). */
  order_date: number;
  customer_info: CustomerInfo;
  payment_info: PaymentInfo;
  shipping_info: ShippingInfo;
  /** The basket: one line per distinct SKU. */
  item_info: OrderItem[];
  /** Number of lines in item_info. */
  item_variety: number;
  /** Sum of the subtotals, in PHP. */
  order_total: string;
  /** Set only on failed_orders. */
  failure: null | Failure;
  /** The storefront cart this order is the checkout of (cart_events); null on orders written before schema 0.2.0. */
  cart_id: null | string;
  /** Where the order was placed: online (a storefront checkout, shipped and delivered) or store (at a till: paid at once, no shipping leg, finished when paid). Orders before 0.4.0 are online. */
  channel: Channel;
  /** The store of a store order (reference/stores.ts, e.g. ST-00-01); null online. */
  store_id: null | string;
  /** VAT included in order_total: the sum of the lines' vat_amount. Null before 0.4.0. */
  vat_total: null | string;
}

/** One row per order (finished or failed), payment and shipping flattened, failure columns included. Key: order_id. Written by ksqlDB or the splitter; every field optional, as ksqlDB writes them. */
export interface Orders {
  order_id: null | string;
  order_date: null | number;
  customer_id: null | string;
  /** The customer's LGU at order time (where an online order was delivered). */
  lgu: null | string;
  provincial_code: null | string;
  payment_status: null | boolean;
  /** CREDIT_CARD, BANK_TRANSFER or DIGITAL_WALLET (online orders); null on store orders, which carry tender. */
  payment_method: null | string;
  payment_date: null | number;
  shipping_id: null | string;
  express_shipping: null | boolean;
  /** PROCESSING, SHIPPED, DELIVERED, TIMED_OUT, CANCELLED or RETURNED. */
  order_status: null | string;
  shipped_date: null | number;
  eta: null | number;
  finished_date: null | number;
  item_variety: null | number;
  order_total: null | string;
  /** payment, shipping or delivery; null unless the order failed. */
  failure_stage: null | string;
  failure_reason: null | string;
  failed_at: null | number;
  cart_id: null | string;
  /** online or store (schema 0.4.0); null on rows split before it, which are online. */
  channel: null | string;
  /** The store of a store order; null online. */
  store_id: null | string;
  /** CASH, DEBIT_CARD, CREDIT_CARD or DIGITAL_WALLET: how a store order was paid at the till; null online. */
  tender: null | string;
  /** VAT included in order_total; null on orders before schema 0.4.0. */
  vat_total: null | string;
}

/** The customer as of one order. Key: customer_id (upserted; the warehouse keeps history as SCD type 2). */
export interface Customers {
  customer_id: null | string;
  customer_name: null | string;
  company: null | string;
  email: null | string;
  street_address: null | string;
  lgu: null | string;
  provincial_code: null | string;
  contact_number: null | string;
  /** The order this version of the customer came from. */
  last_order_id: null | string;
  /** That order's order_date: when this version was true. */
  as_of: null | number;
}

/** One row per order line (EXPLODE of item_info). Key: item_id = order_id + '-' + sku. */
export interface OrderItems {
  item_id: null | string;
  order_id: null | string;
  order_date: null | number;
  order_status: null | string;
  sku: null | number;
  product_name: null | string;
  category: null | string;
  /** List price paid for one unit, in PHP. */
  unit_price: null | string;
  quantity: null | number;
  discount_percent: null | string;
  subtotal: null | string;
  /** VAT rate of the line in percent (0.00 exempt); null before schema 0.4.0. */
  vat_rate: null | string;
  /** VAT included in the line's subtotal; null before schema 0.4.0. */
  vat_amount: null | string;
}

export type CartEventType = 'CREATE_CART' | 'ADD_TO_CART' | 'REMOVE_FROM_CART' | 'CHECKOUT';

/** One step of a storefront cart (cart_events topic, keyed by cart_id), in event time. A cart is created by its first add, gains and loses lines, and ends in one checkout (the order it becomes) or in none (abandoned: no event; the warehouse calls a cart abandoned after the expiry). */
export interface CartEvent {
  /** A ULID of the cart's creation time; the order that checks the cart out carries it as cart_id. */
  cart_id: string;
  /** Position of the event in its cart, from 0 (CREATE_CART); (cart_id, seq) is unique. */
  seq: number;
  event_type: CartEventType;
  /** When it happened (UTC event time). */
  event_time: number;
  /** On CREATE_CART: the customer (the order's, on a cart that is checked out); null for a guest, and on every later event. */
  customer_id: null | string;
  /** The product added (CREATE_CART, ADD_TO_CART) or removed (REMOVE_FROM_CART). */
  sku: null | number;
  /** Units added or removed. */
  quantity: null | number;
  /** Views of the product's page in this session before it was added (one count per product, not one event per view). */
  view_count: null | number;
  /** On CREATE_CART: storefront sessions begun since the previous cart, this one's included (sessions that browse without a cart have no events of their own). */
  visits: null | number;
  /** On CHECKOUT: the order the cart became. */
  order_id: null | string;
}
