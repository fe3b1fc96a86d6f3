/**
 * An order placed through the API, from request to record: the JSON a client sends (the fields of
 * the order schema a customer chooses), its validation with an error per field, the order id
 * derived from the Idempotency-Key, and the unpaid order the server assembles from the catalogue.
 * Pure: no clock (the order date is passed in), no I/O.
 *
 * The request:
 *
 *   { "customer_info": { "customer_id": "C-1001", "customer_name": "Maria Santos",
 *                        "email": "maria@example.ph", "street_address": "12 Rizal St",
 *                        "lgu": "Cebu", "contact_number": "+63 917 555 0101" },
 *     "item_info": [ { "sku": 4, "quantity": 2 }, { "sku": 17, "quantity": 1 } ],
 *     "shipping_info": { "express_shipping": true } }
 *
 * company is optional (""), provincial_code is looked up from the LGU (given, it must agree), and
 * shipping_info is optional (standard shipping). With `"store_id": "ST-00-01"` (reference/stores.ts)
 * the order is a sale at that store's till (channel store): paid at once, never shipped, so
 * express_shipping must be false. The server fills the rest: product name, category
 * and list price from the catalogue (API orders pay list price: the sale events are the
 * generator's simulation), subtotals and total, a shipping id, status PROCESSING, unpaid.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { assembleOrder as assembleNewOrder } from '../common/new-order.ts';
import { between, seededRng } from '../common/seeded-rng.ts';
import { CATALOGUE } from '../reference/catalogue.ts';
import { STORES, storeById } from '../reference/stores.ts';
import type { PriceBook } from '../reference/price-schedule.ts';
import { LOCATIONS, type Location } from '../reference/locations.ts';
import type { CustomerInfo, Order } from '../schemas/types.generated.ts';

/** The most lines an order may have, and the most units of one line. */
export const MAX_LINES = 20;
export const MAX_QUANTITY = 100;

/** An API order id: `API-` and 26 Crockford base32 characters of the key's SHA-256. */
export const API_ORDER_ID = /^API-[0-9A-HJKMNP-TV-Z]{26}$/;

export interface FieldIssue {
  /** The field as a path into the request ("item_info[1].quantity"), or a header name. */
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const PRODUCTS = new Map(CATALOGUE.map((p) => [p.sku, p]));
const FIRST_SKU = Math.min(...PRODUCTS.keys());
const LAST_SKU = Math.max(...PRODUCTS.keys());
/** LGU names as a client may type them (any case), to the catalogue's spelling. */
const LGUS = new Map<string, Location>(LOCATIONS.map((l) => [l.lgu.toLowerCase(), l]));

/** A required field's message: "is required" when absent, else `what` it must be. */
const must = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

const text = (max: number) =>
  z
    .string({ error: must(`a string of 1 to ${max} characters`) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

const customerInfo = z.strictObject(
  {
    customer_id: z
      .string({ error: must('a string') })
      .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, ".", "_" or "-"' }),
    customer_name: text(200),
    company: z
      .string({ error: must('a string') })
      .max(200, { error: 'must be at most 200 characters' })
      .default(''),
    email: z.email({ error: must('an email address such as maria@example.ph') }),
    street_address: text(300),
    lgu: z.string({ error: must('a string') }).refine((v) => LGUS.has(v.trim().toLowerCase()), {
      error:
        'is not one of the 99 LGUs the shop delivers to (a Metro Manila city such as "Makati", or a province such as "Cebu")',
    }),
    provincial_code: z.string({ error: must('a string') }).optional(),
    contact_number: text(40),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object') },
);

const line = z.strictObject(
  {
    sku: z
      .number({ error: must('a whole number') })
      .int({ error: 'must be a whole number' })
      .refine((sku) => PRODUCTS.has(sku), {
        error: `is not a SKU of the catalogue (${FIRST_SKU} to ${LAST_SKU})`,
      }),
    quantity: z
      .number({ error: must(`a whole number from 1 to ${MAX_QUANTITY}`) })
      .int({ error: `must be a whole number from 1 to ${MAX_QUANTITY}` })
      .min(1, { error: `must be at least 1 (a whole number from 1 to ${MAX_QUANTITY})` })
      .max(MAX_QUANTITY, { error: `must be at most ${MAX_QUANTITY}` }),
  },
  { error: must('an object { "sku": <int>, "quantity": <int> }') },
);

const orderRequestSchema = z.strictObject(
  {
    customer_info: customerInfo,
    item_info: z
      .array(line, { error: must('an array of { "sku", "quantity" } lines') })
      .min(1, { error: 'must have at least one line' })
      .max(MAX_LINES, { error: `must have at most ${MAX_LINES} lines` })
      .superRefine((lines, ctx) => {
        const seen = new Map<number, number>();
        lines.forEach((l, i) => {
          const first = seen.get(l.sku);
          if (first === undefined) seen.set(l.sku, i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, 'sku'],
              message: `repeats SKU ${l.sku} of item_info[${first}]: one line per SKU (add the quantities)`,
            });
        });
      }),
    store_id: z
      .string({ error: must('a string') })
      .refine((id) => storeById(id) !== undefined, {
        error: `is not one of the shop's stores (${STORES.map((s) => s.store_id).join(', ')}); leave it out for an online order`,
      })
      .optional(),
    shipping_info: z
      .strictObject(
        { express_shipping: z.boolean({ error: must('true or false') }).default(false) },
        { error: must('an object { "express_shipping": <boolean> }') },
      )
      .default({ express_shipping: false }),
  },
  { error: must('a JSON object') },
);

export type OrderRequest = z.output<typeof orderRequestSchema>;

/** "item_info[1].quantity" from zod's path ['item_info', 1, 'quantity']. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(body)';
}

/** The request body (raw text) checked: the order request, or every field that is wrong. */
export function parseOrderRequest(body: string): Checked<OrderRequest> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      issues: [{ field: '(body)', message: `is not JSON (${why}); send the order as a JSON object` }],
    };
  }
  const parsed = orderRequestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const field = fieldPath(issue.path);
        // An unknown key is reported on its parent: name the key itself.
        if (issue.code === 'unrecognized_keys') {
          const keys = issue.keys.map((k) => (field === '(body)' ? k : `${field}.${k}`));
          return { field: keys[0]!, message: `is not a field of the order request (${keys.join(', ')})` };
        }
        return { field, message: issue.message };
      }),
    };
  }
  if (parsed.data.store_id !== undefined && parsed.data.shipping_info.express_shipping) {
    return {
      ok: false,
      issues: [
        {
          field: 'shipping_info.express_shipping',
          message: 'must be false for a store order (store_id is set): a sale at the till is not shipped',
        },
      ],
    };
  }
  const customer = parsed.data.customer_info;
  const location = LGUS.get(customer.lgu.trim().toLowerCase())!;
  if (customer.provincial_code !== undefined && customer.provincial_code !== location.provincial_code) {
    return {
      ok: false,
      issues: [
        {
          field: 'customer_info.provincial_code',
          message: `is ${customer.provincial_code}, but ${location.lgu} is ${location.provincial_code} (leave it out: it follows from the lgu)`,
        },
      ],
    };
  }
  return {
    ok: true,
    value: {
      ...parsed.data,
      customer_info: { ...customer, lgu: location.lgu, provincial_code: location.provincial_code },
    },
  };
}

/** Printable ASCII, 1 to 255 characters (a UUID is the usual choice). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header checked. */
export function parseIdempotencyKey(header: string | string[] | undefined): Checked<string> {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '')
    return {
      ok: false,
      issues: [
        {
          field: 'Idempotency-Key',
          message:
            'header is required: a key of your choice per order (e.g. a UUID); sending the same key again returns the same order instead of placing a second one',
        },
      ],
    };
  if (!IDEMPOTENCY_KEY.test(value))
    return {
      ok: false,
      issues: [
        {
          field: 'Idempotency-Key',
          message: 'header must be 1 to 255 printable ASCII characters, no spaces',
        },
      ],
    };
  return { ok: true, value };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The order id of an Idempotency-Key: `API-` + the first 130 bits of SHA-256(topic prefix, key) in
 * Crockford base32. The same key always names the same order, in this process or after a restart,
 * so a retried request finds the order it placed; different pipelines (prefixes) get different ids.
 */
export function orderIdFor(topicPrefix: string, key: string): string {
  const digest = createHash('sha256').update(topicPrefix).update('\u0000').update(key).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 6n; // 136 bits read, 130 kept
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(bits & 31n)]! + id;
    bits >>= 5n;
  }
  return `API-${id}`;
}

/** A courier tracking number ("PH-4821-0937-5521-0042"), drawn from the order id: the same on a retry. */
export function shippingIdFor(orderId: string): string {
  const rng = seededRng(`api-shipping:${orderId}`);
  const group = (): string => String(between(rng, 0, 9999)).padStart(4, '0');
  return `PH-${group()}-${group()}-${group()}-${group()}`;
}

/**
 * The unpaid order for a checked request, as it enters unpaid_orders: the price in force at its order
 * date (the price schedule, when given; the catalogue's list price otherwise), no discount.
 */
export function assembleOrder(
  request: OrderRequest,
  orderId: string,
  orderDate: number,
  prices?: PriceBook,
): Order {
  const c = request.customer_info;
  const customer: CustomerInfo = {
    customer_id: c.customer_id,
    customer_name: c.customer_name,
    company: c.company,
    email: c.email,
    street_address: c.street_address,
    lgu: c.lgu,
    provincial_code: c.provincial_code!,
    contact_number: c.contact_number,
  };
  return assembleNewOrder({
    orderId,
    orderDate,
    customer,
    lines: request.item_info.map(({ sku, quantity }) => {
      const product = PRODUCTS.get(sku)!;
      return { product: prices ? prices.entryAt(product, orderDate) : product, quantity };
    }),
    discounts: NO_DISCOUNTS,
    shippingId: shippingIdFor(orderId),
    express: request.shipping_info.express_shipping,
    channel: request.store_id === undefined ? 'online' : 'store',
    storeId: request.store_id ?? null,
  });
}

const NO_DISCOUNTS: ReadonlyMap<number, number> = new Map();

/**
 * What a client chose in an order (customer, lines, express), as one string: a repeated key with
 * another order is a conflict, not a retry. Read from the order record, so it survives a restart.
 */
export function orderFingerprint(order: Order): string {
  return JSON.stringify([
    order.customer_info,
    order.item_info.map((i) => [i.sku, i.quantity]),
    order.shipping_info.express_shipping,
    order.store_id,
  ]);
}
