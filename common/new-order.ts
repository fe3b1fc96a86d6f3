/**
 * Assembles a new order as it enters unpaid_orders, for the generator and the order API alike:
 * status PROCESSING, unpaid (no method, no payment date), a shipping id and the express flag, no
 * ETA, no failure. Money is computed in whole centavos and written as two-decimal strings.
 */
import type { CatalogueEntry } from '../reference/catalogue.ts';
import type { CustomerInfo, Order, OrderItem } from '../schemas/types.generated.ts';
import { fromCents, subtotalCents } from './money.ts';

export interface OrderParts {
  orderId: string;
  orderDate: number;
  customer: CustomerInfo;
  lines: readonly { product: CatalogueEntry; quantity: number }[];
  /** Discount per SKU in hundredths of a percent (1250 = 12.50%); SKUs not listed are at list price. */
  discounts: ReadonlyMap<number, number>;
  shippingId: string;
  express: boolean;
  /** The storefront cart this order checks out (generator); null for orders without one (the API). */
  cartId?: string | null;
}

export function assembleOrder(p: OrderParts): Order {
  let totalCents = 0;
  const items: OrderItem[] = p.lines.map(({ product, quantity }) => {
    const discount = p.discounts.get(product.sku) ?? 0;
    const subtotal = subtotalCents(product.priceCents, quantity, discount);
    totalCents += subtotal;
    return {
      sku: product.sku,
      product_name: product.name,
      category: product.category,
      unit_price: product.price,
      quantity,
      discount_percent: fromCents(discount),
      subtotal: fromCents(subtotal),
    };
  });
  return {
    order_id: p.orderId,
    order_date: p.orderDate,
    customer_info: p.customer,
    payment_info: { payment_status: false, payment_method: null, payment_date: null },
    shipping_info: {
      shipping_id: p.shippingId,
      express_shipping: p.express,
      order_status: 'PROCESSING',
      shipped_date: null,
      eta: null,
      finished_date: null,
    },
    item_info: items,
    item_variety: items.length,
    order_total: fromCents(totalCents),
    failure: null,
    cart_id: p.cartId ?? null,
  };
}
