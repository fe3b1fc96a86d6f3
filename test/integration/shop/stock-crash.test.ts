/**
 * The stock service killed with SIGKILL mid-stream and restarted: its stock equals a recomputation
 * from the lifecycle records it consumed, and no order moved stock twice (the offsets are stored in
 * the same transaction as the stock change, so the redelivered records change nothing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, type Producer } from '../../../common/kafka.ts';
import { AvroSerde, readSchema } from '../../../common/serde.ts';
import { connectShop, migrateShop } from '../../../common/shop-database.ts';
import { shopStock } from '../../../common/shop-seed.ts';
import { CATALOGUE } from '../../../reference/catalogue.ts';
import { PriceBook } from '../../../reference/price-schedule.ts';
import { topicName, valueSubject } from '../../../schemas/topics.ts';
import type { Order } from '../../../schemas/types.generated.ts';
import { orderLines } from '../../../stock/movement.ts';
import { finalOrders } from '../landing/landing-fixture.ts';
import { conn, createTopics, deleteTopics, log, ORDERFLOW_BIN, uniquePrefix } from '../helpers.ts';
import { dropShop, freshShopUrl } from './fresh-shop.ts';

const prefix = uniquePrefix('stock');
const shopUrl = freshShopUrl('stock');
const { finished, failed } = finalOrders(1500, 11);
const paid = [...finished, ...failed.filter((o) => o.failure?.stage !== 'payment')];
// The last fifth of the orders get no end record: their stock stays reserved.
const held = new Set(paid.slice(Math.floor(paid.length * 0.8)).map((o) => o.order_id));
const ends = {
  finished: finished.filter((o) => !held.has(o.order_id)),
  failed: failed.filter((o) => !held.has(o.order_id)),
};
const total = paid.length + ends.finished.length + ends.failed.length;
let child: ChildProcess | undefined;

function startService(): ChildProcess {
  const p = spawn(
    process.execPath,
    [ORDERFLOW_BIN, 'stock', '--topic-prefix', prefix, '--shop-database-url', shopUrl, '--batch-size', '50'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ORDERFLOW_LOG_LEVEL: 'warn' } },
  );
  p.stderr?.on('data', (d: Buffer) => log.warn(d.toString()));
  return p;
}

async function progress(): Promise<number> {
  const db = await connectShop(shopUrl);
  try {
    const { rows } = await db.query<{ n: string | null }>(`select sum(next_offset) as n from stock_offsets`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  await createTopics(prefix);
  await migrateShop(shopUrl, 1);
  const serde = new AvroSerde(conn.registryUrl);
  const producer: Producer = createKafka(conn.kafkaBootstrap, 'orderflow-test-stock', log).producer({
    'enable.idempotence': true,
    'linger.ms': 5,
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  try {
    for (const [key, list] of [
      ['paid', paid],
      ['finished', ends.finished],
      ['failed', ends.failed],
    ] as const) {
      const topic = topicName(key, prefix);
      const encoder = await serde.writer<Order>(valueSubject(topic), readSchema('order.avsc'));
      for (let i = 0; i < list.length; i += 500)
        await producer.send({
          topic,
          messages: list.slice(i, i + 500).map((o) => ({ key: o.order_id, value: encoder.encode(o) })),
        });
    }
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await dropShop(shopUrl);
  await deleteTopics(prefix).catch(() => undefined);
});

describe('the stock service', () => {
  it('killed with SIGKILL mid-stream and restarted, keeps stock equal to a recomputation', async () => {
    child = startService();
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = await progress();
      if (seen > total * 0.15) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const atKill = await progress();
    console.log(`killed at ${atKill} of ${total} records`);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    child = startService();
    const started = Date.now();
    while ((await progress()) < total) {
      if (Date.now() - started > 180_000)
        throw new Error(`stock service stuck at ${await progress()} of ${total}`);
      await sleep(250);
    }
    console.log(`restarted, caught up in ${Date.now() - started} ms`);
    child.kill('SIGTERM');

    // Recompute from the records: delivered units leave the shelf, returned ones come back,
    // cancelled ones were only reserved, held orders are still reserved.
    const onHand = new Map(shopStock(1).map((s) => [s.sku, s.on_hand]));
    const reserved = new Map<number, number>();
    for (const o of ends.finished)
      for (const [sku, q] of orderLines(o)) onHand.set(sku, onHand.get(sku)! - q);
    for (const o of paid.filter((x) => held.has(x.order_id)))
      for (const [sku, q] of orderLines(o)) reserved.set(sku, (reserved.get(sku) ?? 0) + q);

    const db = await connectShop(shopUrl);
    try {
      const { rows } = await db.query<{
        sku: number;
        on_hand: number;
        reserved: number;
        backordered: number;
      }>(`select sku, on_hand, reserved, backordered from stock where location_id = 'central' order by sku`);
      expect(rows.reduce((n, r) => n + r.backordered, 0)).toBe(0); // no stock-out: recomputation is exact
      // Restocks raised below the reorder point and received by event time add their units once.
      const restocked = await db.query<{ sku: number; quantity: number; status: string; moved: string }>(
        `select r.sku, r.quantity, r.status,
                (select count(*) from stock_movements m where m.restock_id = r.restock_id) as moved
           from restocks r`,
      );
      console.log(
        `${restocked.rows.length} restock(s) raised, ${restocked.rows.filter((r) => r.status === 'received').length} received`,
      );
      for (const r of restocked.rows) {
        expect(Number(r.moved)).toBe(r.status === 'received' ? 1 : 0);
        if (r.status === 'received') onHand.set(r.sku, onHand.get(r.sku)! + r.quantity);
      }
      expect(rows.map((r) => [r.sku, r.on_hand, r.reserved])).toEqual(
        rows.map((r) => [r.sku, onHand.get(r.sku), reserved.get(r.sku) ?? 0]),
      );
      // The price and cost in force at the service's event-time clock are on every product.
      const clock = await db.query<{ t: Date }>('select event_time as t from stock_clock');
      const book = new PriceBook(1);
      const priced = await db.query<{ sku: number; price: string; cost: string }>(
        'select sku, price::text, cost::text from products order by sku',
      );
      const inForce = CATALOGUE.map((p) => book.entryAt(p, clock.rows[0]!.t.getTime()));
      expect(priced.rows).toEqual(inForce.map((p) => ({ sku: p.sku, price: p.price, cost: p.cost })));
      console.log(
        `clock ${clock.rows[0]!.t.toISOString()}: ${inForce.filter((p, i) => p.price !== CATALOGUE[i]!.price).length} of ${CATALOGUE.length} products off their catalogue price`,
      );
      const twice = await db.query(
        // Per order (a restock's movement is checked once per restock above: several restocks of
        // one product may be received, now that the reorder policy follows demand).
        `select order_id, sku, kind from stock_movements where order_id is not null
          group by 1, 2, 3 having count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
      const orders = await db.query<{ n: string }>(`select count(*) as n from stock_orders`);
      expect(Number(orders.rows[0]!.n)).toBe(
        paid.length + failed.filter((o) => o.failure?.stage === 'payment').length,
      );
    } finally {
      await db.end();
    }
  }, 360_000);
});
