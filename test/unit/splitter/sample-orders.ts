/**
 * Hand-written orders for the split tests: one per way an order can end (delivered, timed out at
 * payment, cancelled at shipping, cancelled or returned at delivery), each consistent with the
 * lifecycle invariants.
 */
import type { Order, OrderItem } from '../../../schemas/types.generated.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 5, 14, 2, 37, 0); // a payday sale, 10:37 Manila time

const customer = {
  customer_id: 'C-000042',
  customer_name: 'Maria Clara Santos',
  company: 'Santos Trading',
  email: 'maria.santos@example.ph',
  street_address: '12 Rizal Street, Barangay Lahug',
  lgu: 'Cebu',
  provincial_code: 'PH-CEB',
  contact_number: '+63 917 555 0142',
};

const lines: OrderItem[] = [
  {
    sku: 3,
    product_name: 'Instant Coffee 3-in-1 (30s)',
    category: 'Pantry',
    unit_price: '245.00',
    quantity: 4,
    discount_percent: '20.00',
    subtotal: '784.00',
    vat_rate: null,
    vat_amount: null,
  },
  {
    sku: 27,
    product_name: 'Rice Cooker 1.8 L',
    category: 'Appliances',
    unit_price: '1499.50',
    quantity: 1,
    discount_percent: '0.00',
    subtotal: '1499.50',
    vat_rate: null,
    vat_amount: null,
  },
  {
    sku: 51,
    product_name: 'Electric Fan 16 in',
    category: 'Appliances',
    unit_price: '3450.00',
    quantity: 2,
    discount_percent: '12.50',
    subtotal: '6037.50',
    vat_rate: null,
    vat_amount: null,
  },
];

export const delivered: Order = {
  order_id: '01JXQ7M3Z8K2N4P6R8T0V2X4Z6',
  order_date: T0,
  customer_info: customer,
  payment_info: {
    payment_status: true,
    payment_method: 'BANK_TRANSFER',
    payment_date: T0 + 5 * HOUR,
    tender: null,
  },
  shipping_info: {
    shipping_id: 'SHP-7F3A9C',
    express_shipping: true,
    order_status: 'DELIVERED',
    shipped_date: T0 + 5 * HOUR + 20 * HOUR,
    eta: T0 + 5 * HOUR + 4 * DAY + 6 * HOUR,
    finished_date: T0 + 5 * HOUR + 3 * DAY + 9 * HOUR,
  },
  item_info: lines,
  item_variety: 3,
  order_total: '8321.00',
  failure: null,
  cart_id: '01JXQ7K0A1B2C3D4E5F6G7H8J9',
  channel: 'online',
  store_id: null,
  vat_total: null,
};

export const timedOut: Order = {
  order_id: '01JXQ8A1B2C3D4E5F6G7H8J9K0',
  order_date: T0 + HOUR,
  customer_info: {
    ...customer,
    customer_id: 'C-000917',
    customer_name: 'Jose Rizal Mercado',
    email: 'jose.mercado@example.ph',
    lgu: 'Quezon City',
    provincial_code: 'PH-00',
    company: '',
  },
  payment_info: { payment_status: false, payment_method: null, payment_date: null, tender: null },
  shipping_info: {
    shipping_id: 'SHP-11B0E2',
    express_shipping: false,
    order_status: 'TIMED_OUT',
    shipped_date: null,
    eta: null,
    finished_date: T0 + HOUR + 7 * DAY,
  },
  item_info: [lines[0]!],
  item_variety: 1,
  order_total: '784.00',
  failure: { stage: 'payment', reason: 'payment not received within 7 days', failed_at: T0 + HOUR + 7 * DAY },
  cart_id: null,
  channel: 'online',
  store_id: null,
  vat_total: null,
};

export const cancelledAtShipping: Order = {
  ...delivered,
  order_id: '01JXQ9Z9Y8X7W6V5T4S3R2Q1P0',
  payment_info: { payment_status: true, payment_method: 'DIGITAL_WALLET', payment_date: T0, tender: null },
  shipping_info: {
    shipping_id: 'SHP-C0FFEE',
    express_shipping: false,
    order_status: 'CANCELLED',
    shipped_date: null,
    eta: T0 + 7 * DAY,
    finished_date: T0 + 30 * HOUR,
  },
  item_info: [lines[1]!, lines[2]!],
  item_variety: 2,
  order_total: '7537.00',
  failure: { stage: 'shipping', reason: 'out of stock at the warehouse', failed_at: T0 + 30 * HOUR },
  cart_id: null,
  channel: 'online',
  store_id: null,
  vat_total: null,
};

export const returned: Order = {
  ...delivered,
  order_id: '01JXQAAAAAAAAAAAAAAAAAAAAA',
  payment_info: {
    payment_status: true,
    payment_method: 'CREDIT_CARD',
    payment_date: T0 + 2 * DAY,
    tender: null,
  },
  shipping_info: {
    shipping_id: 'SHP-0A0B0C',
    express_shipping: false,
    order_status: 'RETURNED',
    shipped_date: T0 + 3 * DAY,
    eta: T0 + 9 * DAY,
    finished_date: T0 + 8 * DAY,
  },
  failure: { stage: 'delivery', reason: 'returned by the customer', failed_at: T0 + 8 * DAY },
  cart_id: null,
  channel: 'online',
  store_id: null,
  vat_total: null,
};

/** Orders as they sit on finished_orders and failed_orders. */
export const finishedOrders: Order[] = [delivered];
export const failedOrders: Order[] = [timedOut, cancelledAtShipping, returned];

/**
 * A till sale at the Cebu store (schema 0.4.0): paid by tender at the till and finished as it is
 * placed (no shipping leg), VAT-inclusive prices at 12% (vat_amount = round(subtotal x 12 / 112, 2)).
 */
export const tillSale: Order = {
  order_id: '01JXQBBBBBBBBBBBBBBBBBBBBB',
  order_date: T0 + 3 * HOUR,
  customer_info: customer,
  payment_info: { payment_status: true, payment_method: null, payment_date: T0 + 3 * HOUR, tender: 'CASH' },
  shipping_info: {
    shipping_id: 'SHP-5T0RE1',
    express_shipping: false,
    order_status: 'DELIVERED',
    shipped_date: null,
    eta: null,
    finished_date: T0 + 3 * HOUR,
  },
  item_info: [
    { ...lines[0]!, vat_rate: '12.00', vat_amount: '84.00' },
    { ...lines[1]!, vat_rate: '12.00', vat_amount: '160.66' },
  ],
  item_variety: 2,
  order_total: '2283.50',
  failure: null,
  cart_id: null,
  channel: 'store',
  store_id: 'ST-CEB-01',
  vat_total: '244.66',
};
