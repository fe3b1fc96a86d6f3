/**
 * The split of one finished or failed order into the flat, keyed rows the JDBC sink lands:
 * one `orders` row, one `customers` row and one `order_items` row per basket line.
 *
 * This is the same computation as the ksqlDB statements in ksql/migrations (a unit test evaluates
 * both on the same orders and compares them), so the splitter service can stand in for ksqlDB where
 * ksqlDB is not available. Pure: no I/O.
 */
import type { Customers, Order, OrderItems, Orders } from '../schemas/types.generated.ts';

/** A record for a split topic: the string key and the value. */
export type Keyed<T> = [key: string, value: T];

export interface SplitOrder {
  orders: Keyed<Orders>;
  customers: Keyed<Customers>;
  orderItems: Keyed<OrderItems>[];
}

/** The key of an order_items row: order_id + '-' + sku. */
export function itemId(orderId: string, sku: number): string {
  return `${orderId}-${sku}`;
}

export function split(order: Order): SplitOrder {
  const customer = order.customer_info;
  const payment = order.payment_info;
  const shipping = order.shipping_info;
  const failure = order.failure;

  const orders: Orders = {
    order_id: order.order_id,
    order_date: order.order_date,
    customer_id: customer.customer_id,
    lgu: customer.lgu,
    provincial_code: customer.provincial_code,
    payment_status: payment.payment_status,
    payment_method: payment.payment_method,
    payment_date: payment.payment_date,
    shipping_id: shipping.shipping_id,
    express_shipping: shipping.express_shipping,
    order_status: shipping.order_status,
    shipped_date: shipping.shipped_date,
    eta: shipping.eta,
    finished_date: shipping.finished_date,
    item_variety: order.item_variety,
    order_total: order.order_total,
    failure_stage: failure?.stage ?? null,
    failure_reason: failure?.reason ?? null,
    failed_at: failure?.failed_at ?? null,
    cart_id: order.cart_id ?? null,
    channel: order.channel,
    store_id: order.store_id,
    tender: payment.tender,
    vat_total: order.vat_total,
  };

  const customers: Customers = {
    customer_id: customer.customer_id,
    customer_name: customer.customer_name,
    company: customer.company,
    email: customer.email,
    street_address: customer.street_address,
    lgu: customer.lgu,
    provincial_code: customer.provincial_code,
    contact_number: customer.contact_number,
    last_order_id: order.order_id,
    as_of: order.order_date,
  };

  const orderItems = order.item_info.map((item): Keyed<OrderItems> => {
    const id = itemId(order.order_id, item.sku);
    return [
      id,
      {
        item_id: id,
        order_id: order.order_id,
        order_date: order.order_date,
        order_status: shipping.order_status,
        sku: item.sku,
        product_name: item.product_name,
        category: item.category,
        unit_price: item.unit_price,
        quantity: item.quantity,
        discount_percent: item.discount_percent,
        subtotal: item.subtotal,
        vat_rate: item.vat_rate,
        vat_amount: item.vat_amount,
      },
    ];
  });

  return {
    orders: [order.order_id, orders],
    customers: [customer.customer_id, customers],
    orderItems,
  };
}
