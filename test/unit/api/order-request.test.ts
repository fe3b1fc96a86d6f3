import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../common/avro.ts';
import { readSchema } from '../../../common/serde.ts';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import { PriceBook, productSchedule } from '../../../reference/price-schedule.ts';
import { fromCents } from '../../../common/money.ts';
import { checkOrder } from '../../../schemas/invariants.ts';
import {
  API_ORDER_ID,
  assembleOrder,
  orderFingerprint,
  orderIdFor,
  parseIdempotencyKey,
  parseOrderRequest,
  type Checked,
  type FieldIssue,
  type OrderRequest,
} from '../../../api/order-request.ts';
import { exampleCustomer as customer, exampleOrder } from '../../fixtures/order-requests.ts';

const valid = exampleOrder([4, 2], [23, 1]);

const body = (value: unknown) => JSON.stringify(value);
function issuesOf(r: Checked<unknown>): FieldIssue[] {
  if (r.ok) throw new Error('expected the request to be refused');
  return r.issues;
}
function parsed(value: unknown): OrderRequest {
  const r = parseOrderRequest(body(value));
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.issues)}`);
  return r.value;
}

describe('order request: what a client may send', () => {
  it('takes a minimal order, looks the province up from the LGU and defaults company and shipping', () => {
    const r = parsed({ ...valid, customer_info: { ...customer, lgu: 'cebu' } });
    expect(r.customer_info).toMatchObject({ lgu: 'Cebu', provincial_code: 'PH-CEB', company: '' });
    expect(r.shipping_info).toEqual({ express_shipping: false });
  });

  it('names the field of each mistake', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { ...valid, item_info: [{ sku: 999, quantity: 1 }] },
        'item_info[0].sku',
        /not a SKU of the catalogue \(1 to 55\)/,
      ],
      [{ ...valid, item_info: [{ sku: 4, quantity: 0 }] }, 'item_info[0].quantity', /at least 1/],
      [{ ...valid, item_info: [{ sku: 4, quantity: -3 }] }, 'item_info[0].quantity', /at least 1/],
      [{ ...valid, item_info: [{ sku: 4, quantity: 1.5 }] }, 'item_info[0].quantity', /whole number/],
      [{ ...valid, item_info: [{ sku: 4 }] }, 'item_info[0].quantity', /is required/],
      [{ ...valid, item_info: [] }, 'item_info', /at least one line/],
      [{ customer_info: customer }, 'item_info', /is required/],
      [{ item_info: valid.item_info }, 'customer_info', /is required/],
      [{ ...valid, customer_info: { ...customer, email: undefined } }, 'customer_info.email', /is required/],
      [{ ...valid, customer_info: { ...customer, email: 'maria' } }, 'customer_info.email', /email address/],
      [{ ...valid, customer_info: { ...customer, lgu: 'Atlantis' } }, 'customer_info.lgu', /99 LGUs/],
      [
        { ...valid, customer_info: { ...customer, provincial_code: 'PH-DAV' } },
        'customer_info.provincial_code',
        /Cebu is PH-CEB/,
      ],
      [{ ...valid, store_id: 'ST-XX-01' }, 'store_id', /not one of the shop's stores \(ST-00-01, /],
      [{ ...valid, store_id: 7 }, 'store_id', /must be a string/],
      [
        { ...valid, store_id: 'ST-CEB-01', shipping_info: { express_shipping: true } },
        'shipping_info.express_shipping',
        /must be false for a store order/,
      ],
      [
        {
          ...valid,
          item_info: [
            { sku: 4, quantity: 1 },
            { sku: 4, quantity: 2 },
          ],
        },
        'item_info[1].sku',
        /repeats SKU 4 of item_info\[0\]/,
      ],
      [{ ...valid, order_total: '1.00' }, 'order_total', /not a field of the order request/],
      [
        { ...valid, shipping_info: { express_shipping: 'yes' } },
        'shipping_info.express_shipping',
        /true or false/,
      ],
      [[valid], '(body)', /a JSON object/],
    ];
    for (const [value, field, message] of cases) {
      const issues = issuesOf(parseOrderRequest(body(value)));
      expect(issues[0], JSON.stringify(value)).toMatchObject({ field });
      expect(issues[0]!.message, field).toMatch(message);
    }
  });

  it('refuses a body that is not JSON, naming the body', () => {
    const [issue] = issuesOf(parseOrderRequest('{"customer_info": '));
    expect(issue!.field).toBe('(body)');
    expect(issue!.message).toMatch(/is not JSON/);
  });

  it('needs an Idempotency-Key of printable characters', () => {
    expect(issuesOf(parseIdempotencyKey(undefined))[0]!.message).toMatch(/header is required/);
    expect(issuesOf(parseIdempotencyKey('two words'))[0]!.field).toBe('Idempotency-Key');
    expect(parseIdempotencyKey('3f0c9a52-order-1')).toEqual({ ok: true, value: '3f0c9a52-order-1' });
  });
});

describe('order id and assembly', () => {
  it('derives the same id from the same key and prefix, another from another', () => {
    const id = orderIdFor('', 'key-1');
    expect(id).toMatch(API_ORDER_ID);
    expect(orderIdFor('', 'key-1')).toBe(id);
    expect(orderIdFor('', 'key-2')).not.toBe(id);
    expect(orderIdFor('test_', 'key-1')).not.toBe(id);
    // 10,000 keys, 10,000 ids.
    expect(new Set(Array.from({ length: 10_000 }, (_, i) => orderIdFor('', `k${i}`))).size).toBe(10_000);
  });

  it('prices the lines from the catalogue at list price and keeps every invariant of an unpaid order', () => {
    const at = Date.UTC(2026, 11, 2, 4, 0, 0);
    const order = assembleOrder(parsed({ ...valid, shipping_info: { express_shipping: true } }), 'API-X', at);
    const rice = CATALOGUE.find((p) => p.sku === 4)!;
    const cooker = CATALOGUE.find((p) => p.sku === 23)!;
    expect(order.item_info).toEqual([
      {
        sku: 4,
        product_name: rice.name,
        category: rice.category,
        unit_price: rice.price,
        quantity: 2,
        discount_percent: '0.00',
        subtotal: '650.00',
        // Pantry is VAT-exempt (reference/vat.ts).
        vat_rate: '0.00',
        vat_amount: '0.00',
      },
      {
        sku: 23,
        product_name: cooker.name,
        category: cooker.category,
        unit_price: cooker.price,
        quantity: 1,
        discount_percent: '0.00',
        subtotal: '1499.00',
        // 1499.00 x 12 / 112 = 160.607...: the price includes 12% VAT.
        vat_rate: '12.00',
        vat_amount: '160.61',
      },
    ]);
    expect(order.order_total).toBe('2149.00');
    expect(order.vat_total).toBe('160.61');
    expect(order).toMatchObject({ channel: 'online', store_id: null });
    expect(order).toMatchObject({ order_date: at, item_variety: 2, failure: null });
    expect(order.shipping_info).toMatchObject({ order_status: 'PROCESSING', express_shipping: true });
    expect(order.shipping_info.shipping_id).toMatch(/^PH-\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(checkOrder(order, 'unpaid')).toEqual([]);
    expect(parseAvro(readSchema('order.avsc')).isValid(order)).toBe(true);
  });

  it('with the price schedule, prices each line at the price in force at the order date', () => {
    const book = new PriceBook(7);
    // A time inside a promotion of SKU 4 (the first one of the seed's schedule).
    const promo = productSchedule(7, CATALOGUE[3]!).find((c) => c.reason === 'promotion')!;
    const at = promo.effectiveAt + 3_600_000;
    const order = assembleOrder(parsed(valid), 'API-X', at, book);
    const [rice, cooker] = order.item_info;
    expect(rice!.unit_price).toBe(fromCents(promo.priceCents));
    expect(rice!.unit_price).not.toBe(CATALOGUE[3]!.price);
    expect(rice!.subtotal).toBe(fromCents(promo.priceCents * 2));
    expect(cooker!.unit_price).toBe(book.entryAt(CATALOGUE[22]!, at).price);
    expect(checkOrder(order, 'unpaid')).toEqual([]);
  });

  it('fingerprints what the client chose, not when it was placed', () => {
    const r = parsed(valid);
    const first = assembleOrder(r, 'API-X', 1_000);
    expect(orderFingerprint(assembleOrder(r, 'API-X', 2_000))).toBe(orderFingerprint(first));
    const more = parsed({ ...valid, item_info: [{ sku: 4, quantity: 3 }] });
    expect(orderFingerprint(assembleOrder(more, 'API-X', 1_000))).not.toBe(orderFingerprint(first));
  });

  it('makes a request with a store_id a sale at that till: channel store, taxed where the store is, no cart', () => {
    const at = Date.UTC(2026, 0, 5, 3, 0, 0);
    // A Cebu customer buying appliances in Subic (Zambales): the store's province sets the rate.
    const order = assembleOrder(
      parsed({ ...valid, store_id: 'ST-ZMB-01', item_info: [{ sku: 23, quantity: 1 }] }),
      'API-S',
      at,
    );
    expect(order).toMatchObject({ channel: 'store', store_id: 'ST-ZMB-01', cart_id: null });
    expect(order.item_info[0]).toMatchObject({ vat_rate: '12.00', vat_amount: '160.61' }); // appliances: 12% from 2026
    const before = assembleOrder(
      parsed({ ...valid, store_id: 'ST-ZMB-01', item_info: [{ sku: 23, quantity: 1 }] }),
      'API-S',
      Date.UTC(2025, 5, 1),
    );
    expect(before.item_info[0]).toMatchObject({ vat_rate: '0.00', vat_amount: '0.00' }); // the freeport row before
    expect(checkOrder(order, 'unpaid')).toEqual([]);
    expect(orderFingerprint(order)).not.toBe(
      orderFingerprint(
        assembleOrder(parsed({ ...valid, item_info: [{ sku: 23, quantity: 1 }] }), 'API-S', at),
      ),
    );
  });
});
