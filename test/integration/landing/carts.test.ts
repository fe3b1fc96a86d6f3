/**
 * Storefront carts on the local stack (issue 15): a few hundred generated orders go to unpaid_orders,
 * the storefront service (in this process, on the stage runtime) writes each order's session to
 * cart_events (keyed by cart_id), and the orders, through the stages' transforms, land as usual;
 * the cart events through their own JDBC sink and the landing step (warehouse 020). Then each event
 * lands once and equals the pure model's, dim_cart, the funnel and the cart checks agree, and bad
 * cart events (an add after a checkout, an unknown cart) are dead-lettered with a reason and
 * counted while the stream goes on.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWarehouse } from '../../../common/database.ts';
import { AvroSerde, readSchema, type Encoder } from '../../../common/serde.ts';
import { TOPICS, topicName, valueSubject } from '../../../schemas/topics.ts';
import type { CartEvent, Order } from '../../../schemas/types.generated.ts';
import { CartModel } from '../../../storefront/cart-model.ts';
import { startStorefront, type RunningStorefront } from '../../../storefront/service.ts';
import { runChecks } from '../../../warehouse/check.ts';
import { ASSERTIONS } from '../../../warehouse/checks.ts';
import { conn, log } from '../helpers.ts';
import { inputProducer, readTopics, sampleOrders, total } from '../processors/pipeline.ts';
import { eventually, throughLifecycle, startLanding, type LandingPipeline } from './landing-fixture.ts';

const ORDERS = 300;
const SEED = 15;

let p: LandingPipeline;
let storefront: RunningStorefront | undefined;
let unpaid: Order[];
let orders: { finished: Order[]; failed: Order[] };
/** What the storefront must write: every order's session from the pure model. */
let events: CartEvent[];
let cartEncoder: Encoder<CartEvent>;

const count = async (sql: string): Promise<number> =>
  Number((await p.query<{ n: string }>(`select (${sql})::text as n`))[0]!.n);

beforeAll(async () => {
  p = await startLanding('carts');
  unpaid = sampleOrders(ORDERS, SEED);
  orders = throughLifecycle(unpaid, SEED);
  const model = new CartModel(SEED);
  events = unpaid.flatMap((o) => model.session(o).events);
  const serde = new AvroSerde(conn.registryUrl);
  const cartTopic = topicName('cartEvents', p.prefix);
  cartEncoder = await serde.writer<CartEvent>(valueSubject(cartTopic), readSchema(TOPICS.cartEvents.schema));
});

afterAll(async () => {
  await storefront?.stop().catch(() => undefined);
  await p?.close();
});

describe('storefront carts land', () => {
  it("the storefront service writes each order's session, and each event lands once in cart_events and dim_cart", async () => {
    const input = await inputProducer(p.prefix);
    try {
      await input.send(unpaid);
    } finally {
      await input.close();
    }
    storefront = await startStorefront({
      kafkaBootstrap: conn.kafkaBootstrap,
      registryUrl: conn.registryUrl,
      topicPrefix: p.prefix,
      seed: SEED,
      instanceId: `test-${randomBytes(3).toString('hex')}`,
      batchSize: 100,
      port: 0,
      host: '127.0.0.1',
      log,
      onFatal: (error) => log.error({ err: error }, 'storefront failed'),
    });
    await p.send(orders);

    const carts = new Set(events.map((e) => e.cart_id));
    const landed = await eventually(
      async () =>
        (await count('select count(*) from cart_events')) === events.length &&
        (await count('select count(*) from orders')) === ORDERS,
      180_000,
    );
    expect(landed).toBe(true);
    expect(await count('select count(*) from dim_cart')).toBe(carts.size);
    expect(await count('select count(distinct (cart_id, seq)) from cart_events')).toBe(events.length);
    // The topic holds each event once (the sink's upsert by key would hide a duplicate in the table).
    const topic = await readTopics([topicName('cartEvents', p.prefix)], (r) => total(r) >= events.length, {
      settleMs: 2000,
      timeoutMs: 60_000,
    });
    expect(total(topic)).toBe(events.length);
    // Each checked-out cart names the model's order and holds the model's number of events.
    const byId = (a: { cart_id: string }, b: { cart_id: string }) =>
      a.cart_id < b.cart_id ? -1 : a.cart_id > b.cart_id ? 1 : 0;
    const landedCheckouts = (
      await p.query<{ cart_id: string; order_id: string; n: string }>(
        `select cart_id, order_id, (select count(*) from cart_events e where e.cart_id = c.cart_id)::text as n
           from cart_events c where event_type = 'CHECKOUT'`,
      )
    ).sort(byId);
    const expectedCheckouts = events
      .filter((e) => e.event_type === 'CHECKOUT')
      .map((e) => ({
        cart_id: e.cart_id,
        order_id: e.order_id,
        n: String(events.filter((x) => x.cart_id === e.cart_id).length),
      }))
      .sort(byId);
    expect(landedCheckouts).toEqual(expectedCheckouts);
    expect(await count('select count(*) from cart_event_dead_letters')).toBe(0);
    // Every online order checks out its cart; a store order (a till sale) has none.
    const online = unpaid.filter((o) => o.channel === 'online').length;
    expect(online).toBeLessThan(ORDERS);
    expect(await count('select count(*) from dim_cart where checked_out_at is not null')).toBe(online);
    expect(await count("select count(*) from orders where cart_id is null and channel = 'online'")).toBe(0);
    expect(await count("select count(*) from orders where cart_id is null and channel = 'store'")).toBe(
      ORDERS - online,
    );
    log.warn({ orders: ORDERS, carts: carts.size, events: events.length }, 'carts landed');
  });

  it('the cart checks pass: every online order has its cart, with its lines; one cart per order', async () => {
    const carts = ASSERTIONS.filter((a) => /cart/.test(a.name));
    expect(carts.map((a) => a.name)).toEqual([
      'every online order has a cart',
      "a checked-out cart holds its order's lines",
      'one cart per order',
    ]);
    const db = await connectWarehouse(conn.databaseUrl, p.schema);
    try {
      const results = await runChecks(db, carts);
      expect(results.map((r) => [r.name, r.offending])).toEqual(carts.map((a) => [a.name, 0]));
      // ... and they can fail: an order pointing at a cart that is not its own.
      const victim = unpaid.find((o) => o.channel === 'online')!;
      await db.query(`update orders set cart_id = 'NO-SUCH-CART' where order_id = $1`, [victim.order_id]);
      try {
        const broken = await runChecks(db, carts.slice(0, 1));
        expect(broken[0]!.offending).toBe(1);
      } finally {
        await db.query('update orders set cart_id = $2 where order_id = $1', [
          victim.order_id,
          victim.cart_id,
        ]);
      }
    } finally {
      await db.end();
    }
  });

  it('the funnel adds up to what was generated: visits -> carts -> checkouts -> paid -> delivered', async () => {
    const rows = await p.query<Record<string, string>>(
      `select sum(visits)::text as visits, sum(carts)::text as carts, sum(checkouts)::text as checkouts,
              sum(paid)::text as paid, sum(delivered)::text as delivered, sum(abandoned)::text as abandoned,
              sum(open_carts)::text as open_carts from metric_cart_funnel`,
    );
    const f = rows[0]!;
    // The funnel is the storefront's: online orders only (a till sale has no cart).
    const all = [...orders.finished, ...orders.failed].filter((o) => o.channel === 'online');
    const online = all.length;
    expect(Number(f.visits)).toBe(events.reduce((s, e) => s + (e.visits ?? 0), 0));
    expect(Number(f.carts)).toBe(new Set(events.map((e) => e.cart_id)).size);
    expect(Number(f.checkouts)).toBe(online);
    expect(Number(f.paid)).toBe(all.filter((o) => o.payment_info.payment_date !== null).length);
    expect(Number(f.delivered)).toBe(all.filter((o) => o.shipping_info.order_status === 'DELIVERED').length);
    expect(Number(f.abandoned) + Number(f.open_carts) + online).toBe(Number(f.carts));
    const abandonment = 1 - online / Number(f.carts);
    expect(abandonment).toBeGreaterThan(0.64);
    expect(abandonment).toBeLessThan(0.76);
    const interest = await p.query<{ adds: string }>(
      'select sum(adds)::text as adds from metric_cart_interest',
    );
    expect(Number(interest[0]!.adds)).toBe(
      events.filter((e) => e.event_type === 'CREATE_CART' || e.event_type === 'ADD_TO_CART').length,
    );
    expect(await count('select count(*) from metric_cart_trending')).toBeGreaterThan(0);
  });

  it('dead-letters an add after a checkout and an unknown cart with a reason, counts them, and goes on', async () => {
    const topic = topicName('cartEvents', p.prefix);
    const checkedOut = unpaid[0]!.cart_id!;
    const lastSeq = Math.max(...events.filter((e) => e.cart_id === checkedOut).map((e) => e.seq));
    const at = unpaid[0]!.order_date + 60_000;
    const bad: CartEvent[] = [
      {
        ...blank(checkedOut, lastSeq + 1, at),
        event_type: 'ADD_TO_CART',
        sku: 3,
        quantity: 1,
        view_count: 1,
      },
      { ...blank('NO-SUCH-CART', 1, at), event_type: 'ADD_TO_CART', sku: 3, quantity: 1, view_count: 1 },
    ];
    const good: CartEvent = {
      ...blank('LATE-GOOD-CART', 0, at),
      sku: 4,
      quantity: 2,
      view_count: 2,
      visits: 3,
    };
    await p.sendRaw(
      topic,
      [...bad, good].map((e) => ({ key: e.cart_id, value: cartEncoder.encode(e) })),
    );
    const settled = await eventually(
      async () =>
        (await count('select count(*) from cart_event_dead_letters')) === 2 &&
        (await count(`select count(*) from dim_cart where cart_id = 'LATE-GOOD-CART'`)) === 1,
      120_000,
    );
    expect(settled).toBe(true);
    const reasons = await p.query<{ cart_id: string; reason: string }>(
      'select cart_id, reason from cart_event_dead_letters order by cart_id',
    );
    expect(reasons).toEqual(
      [
        { cart_id: checkedOut, reason: 'add_to_cart after checkout' },
        { cart_id: 'NO-SUCH-CART', reason: 'unknown cart' },
      ].sort((a, b) => a.cart_id.localeCompare(b.cart_id)),
    );
    expect(await count('select sum(events) from metric_cart_dead_letters')).toBe(2);
    // The landing table keeps them (staging); the facts and the cart leave them out.
    expect(await count('select count(*) from cart_events')).toBe(events.length + 3);
    expect(await count('select count(*) from fact_cart_activity')).toBe(events.length + 1);
    expect(await count(`select lines_added from dim_cart where cart_id = '${checkedOut}'`)).toBe(
      events.filter(
        (e) => e.cart_id === checkedOut && e.event_type !== 'CHECKOUT' && e.event_type !== 'REMOVE_FROM_CART',
      ).length,
    );
  });
});

function blank(cartId: string, seq: number, at: number): CartEvent {
  return {
    cart_id: cartId,
    seq,
    event_type: 'CREATE_CART',
    event_time: at,
    customer_id: null,
    sku: null,
    quantity: null,
    view_count: null,
    visits: null,
    order_id: null,
  };
}
