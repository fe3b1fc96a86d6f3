/**
 * The channel and VAT rules of checkOrder (invariants.ts), since schema 0.4.0: a store order is a till
 * sale at a known store, an online order has no store and no tender; each line's VAT is the VAT its
 * VAT-inclusive subtotal holds, and vat_total is their sum. Violations go to the running check's list.
 */
import { includedVatCents } from '../reference/vat.ts';
import { storeById } from '../reference/stores.ts';
import { parseScaled } from './parse-scaled.ts';
import type { Order } from './types.generated.ts';
import { fail, requireNull } from './violations.ts';

export /** The rules of the order's channel (store: a till sale; online: no store, no tender). */
function channelRules(order: Order): void {
  const pay = order.payment_info;
  const ship = order.shipping_info;
  if (order.channel !== 'store') {
    if (order.channel !== 'online') fail('channel', `unknown channel ${String(order.channel)}`);
    requireNull('store_id', order.store_id, 'an online order is not placed at a store');
    requireNull('payment_info.tender', pay.tender, 'an online order is not paid at a till');
    return;
  }
  if (order.store_id === null) fail('store_id', 'a store order names its store');
  else if (storeById(order.store_id) === undefined)
    fail('store_id', `store_id ${order.store_id} is not a known store (reference/stores.ts)`);
  requireNull('cart_id', order.cart_id, 'a store order is not a storefront checkout');
  requireNull('payment_info.payment_method', pay.payment_method, 'a store order is paid by tender');
  requireNull('shipping_info.shipped_date', ship.shipped_date, 'a store order has no shipping leg');
  requireNull('shipping_info.eta', ship.eta, 'a store order has no shipping leg');
  if (ship.express_shipping) fail('shipping_info.express_shipping', 'a store order is not shipped');
  if (ship.order_status !== 'PROCESSING' && ship.order_status !== 'DELIVERED') {
    fail('shipping_info.order_status', `a store order is PROCESSING or DELIVERED, not ${ship.order_status}`);
  } else if (ship.order_status === 'DELIVERED' && ship.finished_date !== pay.payment_date) {
    fail(
      'shipping_info.finished_date',
      'a store order is finished when it is paid (finished_date = payment_date)',
    );
  }
  if (!pay.payment_status)
    requireNull('payment_info.tender', pay.tender, 'an unpaid order has no payment yet');
}

export /** VAT lines and total agree (orders before schema 0.4.0 carry no VAT at all). */
function vatRules(order: Order): void {
  const items = order.item_info;
  if (order.vat_total === null) {
    for (let i = 0; i < items.length; i++) {
      if (items[i]!.vat_rate !== null || items[i]!.vat_amount !== null)
        fail(`item_info[${i}].vat_amount`, 'a line carries VAT but the order has no vat_total');
    }
    return;
  }
  let sum = 0;
  let valid = true;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const rate = item.vat_rate === null ? NaN : parseScaled(item.vat_rate);
    const amount = item.vat_amount === null ? NaN : parseScaled(item.vat_amount);
    const subtotal = parseScaled(item.subtotal);
    if (Number.isNaN(rate) || rate < 0 || rate > 10000) {
      fail(
        `item_info[${i}].vat_rate`,
        `vat_rate ${String(item.vat_rate)} is not a percent between 0 and 100`,
      );
      valid = false;
      continue;
    }
    if (Number.isNaN(amount)) {
      fail(`item_info[${i}].vat_amount`, `vat_amount ${String(item.vat_amount)} is not a 2-decimal amount`);
      valid = false;
      continue;
    }
    sum += amount;
    if (!Number.isNaN(subtotal) && includedVatCents(subtotal, rate) !== amount) {
      const expected = (includedVatCents(subtotal, rate) / 100).toFixed(2);
      fail(
        `item_info[${i}].vat_amount`,
        `vat_amount ${item.vat_amount} != round(${item.subtotal} x ${item.vat_rate} / (100 + ${item.vat_rate}), 2) = ${expected}`,
      );
    }
  }
  const total = parseScaled(order.vat_total);
  if (Number.isNaN(total)) fail('vat_total', `vat_total ${order.vat_total} is not a 2-decimal amount`);
  else if (valid && total !== sum)
    fail(
      'vat_total',
      `vat_total ${order.vat_total} != sum of the lines' vat_amount ${(sum / 100).toFixed(2)}`,
    );
}
