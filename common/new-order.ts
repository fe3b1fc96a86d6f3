/**
 * Assembles a new order as it enters unpaid_orders, for the generator and the order API alike:
 * status PROCESSING, unpaid (no method, no tender, no payment date), a shipping id and the express
 * flag, no ETA, no failure. Money is computed in whole centavos and written as two-decimal strings.
 * Prices are VAT-inclusive: each line carries the rate in force for its category where the sale is
 * made (the store's province at the till, the delivery province online) and the VAT its subtotal
 * includes; the order carries their sum (reference/vat.ts).
 */
import { SHOP_UTC_OFFSET_MINUTES } from '../reference/calendar.ts';
import type { CatalogueEntry } from '../reference/catalogue.ts';
import { storeById } from '../reference/stores.ts';
import { includedVatCents, VatTable } from '../reference/vat.ts';
import type { Channel, CustomerInfo, Order, OrderItem } from '../schemas/types.generated.ts';
import { fromCents, subtotalCents } from './money.ts';

const SHARED_VAT = new VatTable();
const OFFSET_MS = SHOP_UTC_OFFSET_MINUTES * 60_000;

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
  /** online (the default) or store; a store order names its store (reference/stores.ts). */
  channel?: Channel;
  storeId?: string | null;
  /** The tax-rate table (default: reference/vat.ts's VAT_RULES). */
  vat?: VatTable;
}

/** The province whose VAT applies: the store's at the till, the customer's delivery province online. */
export function saleProvince(p: Pick<OrderParts, 'channel' | 'storeId' | 'customer'>): string {
  if (p.channel !== 'store') return p.customer.provincial_code;
  const store = p.storeId == null ? undefined : storeById(p.storeId);
  if (store === undefined)
    throw new RangeError(`a store order needs a known store_id, got ${String(p.storeId)}`);
  return store.provincial_code;
}

/** The local (Asia/Manila) date of an instant, YYYY-MM-DD: the day a VAT rule is in force on. */
export function localDate(t: number): string {
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

export function assembleOrder(p: OrderParts): Order {
  const vat = p.vat ?? SHARED_VAT;
  const rateOf = vat.ratesFor(saleProvince(p), localDate(p.orderDate));
  let totalCents = 0;
  let vatCents = 0;
  const items: OrderItem[] = p.lines.map(({ product, quantity }) => {
    const discount = p.discounts.get(product.sku) ?? 0;
    const subtotal = subtotalCents(product.priceCents, quantity, discount);
    const rate = rateOf(product.category);
    const lineVat = includedVatCents(subtotal, rate);
    totalCents += subtotal;
    vatCents += lineVat;
    return {
      sku: product.sku,
      product_name: product.name,
      category: product.category,
      unit_price: product.price,
      quantity,
      discount_percent: fromCents(discount),
      subtotal: fromCents(subtotal),
      vat_rate: fromCents(rate),
      vat_amount: fromCents(lineVat),
    };
  });
  return {
    order_id: p.orderId,
    order_date: p.orderDate,
    customer_info: p.customer,
    payment_info: { payment_status: false, payment_method: null, payment_date: null, tender: null },
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
    channel: p.channel ?? 'online',
    store_id: p.channel === 'store' ? (p.storeId ?? null) : null,
    vat_total: fromCents(vatCents),
  };
}
